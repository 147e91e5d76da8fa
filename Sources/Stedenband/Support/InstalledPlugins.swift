import Activities
import Catalogue
import Delivery
import Diagnostics
import Kernel
import Learning
import Notifications
import Partnerships
import Reporting
import Results

/// The plugins this server runs: the one place that lists them. `STEDENBAND_PLUGINS` (or the configuration
/// file's `plugins`) can leave some out.
enum InstalledPlugins {
    /// The plugins, given what they need from the process: `mail` sends the digests, `webhooks` posts them.
    static func all(mail: (any MailTransport)?, webhooks: WebhookSender) -> [any Plugin] {
        [
            CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin(), LearningPlugin(),
            NotificationsPlugin(mail: mail, webhooks: webhooks), ReportingPlugin(), DiagnosticsPlugin(),
        ]
    }
}
