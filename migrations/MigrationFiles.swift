/// The `.sql` files of this folder as the binary was built with them (the EmbedFiles plugin builds them in).
///
/// This Swift file makes the folder a module of its own; the migration runner reads the files through
/// `MigrationSet.builtIn()`, or from a folder given with `--migrations` or `STEDENBAND_MIGRATIONS`.
public enum MigrationFiles {
    /// `(file name, SQL text)` for every `.sql` file of `migrations/`, sorted by file name.
    public static var files: [(fileName: String, sql: String)] {
        EmbeddedFiles.paths.filter { $0.hasSuffix(".sql") }.compactMap { path in
            EmbeddedFiles.text(path).map { (path, $0) }
        }
    }
}
