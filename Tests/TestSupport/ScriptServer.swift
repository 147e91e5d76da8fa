import Foundation

/// One run of a Python test server from `scripts/test-servers/`: started with a JSON configuration,
/// ready once it has written the port it listens on.
struct ScriptServer: Sendable {
    let child: ChildProcess
    let port: Int

    /// Starts `script` and waits until it accepts connections.
    /// - Parameters:
    ///   - portFile: the path the script writes its port to; removed first, so an old run's is not read.
    static func start(
        script: String,
        interpreter: String,
        configuration: some Encodable,
        configurationPath: String,
        portFile: String,
        timeout: Duration = .seconds(15)
    ) async throws -> ScriptServer {
        try? FileManager.default.removeItem(atPath: portFile)
        try JSONEncoder().encode(configuration).write(to: URL(fileURLWithPath: configurationPath))
        let child = try ChildProcess(interpreter, ["-u", TestPython.script(script), configurationPath])
        let deadline = ContinuousClock.now + timeout
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                return ScriptServer(child: child, port: port)
            }
            guard child.process.isRunning else {
                throw ChildProcessError(description: "\(script) exited before it was ready: \(child.standardError)")
            }
            guard ContinuousClock.now < deadline else {
                await child.terminate()
                throw ChildProcessError(
                    description: "\(script) was not ready within \(timeout): \(child.standardError)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Reads the records a test server wrote to `folder` (`000001.json`, …), oldest first.
func readRecords<Record: Decodable>(in folder: String, as type: Record.Type) throws -> [Record] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
        try JSONDecoder().decode(Record.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }
}

/// Polls `folder` until it holds at least `count` records, and returns them all.
func waitForRecords<Record: Decodable>(
    in folder: String,
    as type: Record.Type,
    count: Int,
    timeout: Duration,
    what: String
) async throws -> [Record] {
    let deadline = ContinuousClock.now + timeout
    while true {
        let records = try readRecords(in: folder, as: type)
        if records.count >= count { return records }
        guard ContinuousClock.now < deadline else {
            throw ChildProcessError(description: "expected \(count) \(what) within \(timeout), got \(records.count)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
