import Activities
import Catalogue
import Diagnostics
import Kernel
import Partnerships

/// The plugins this server runs: the one place that lists them. `STEDENBAND_PLUGINS` (or the configuration
/// file's `plugins`) can leave some out.
enum InstalledPlugins {
    static let all: [any Plugin] = [CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin(), DiagnosticsPlugin()]
}
