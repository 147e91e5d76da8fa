import BenchmarkSupport
import Foundation

/// Where a load's processor time went, per request (or per delivery, for the seeding's events): the server's
/// process, PostgreSQL's processes, and the rest of the machine (wrk, and anything else that ran beside it),
/// read from `/proc` before and after the measured run. When the machine was busy throughout, the load was
/// bound by the processor, and ``processorBound`` says how many requests a second its cores could serve at this
/// cost: the measured limit of a figure whose own pgbench shape is far above it.
struct ProcessorUse: Equatable {
    /// What the time is counted per.
    enum Unit: Equatable {
        case request, delivery

        /// "a request"
        var each: String { self == .request ? "a request" : "a delivery" }
        /// "req/s"
        var rate: String { self == .request ? "req/s" : "events/s" }
    }

    var serverMicroseconds: Double
    var postgresMicroseconds: Double
    /// The machine's busy time beyond the server and PostgreSQL: wrk, and any other process.
    var otherMicroseconds: Double
    /// The share of the machine's processor time that was busy during the run, 0…1.
    var machineBusy: Double
    var cores: Int
    var unit = Unit.request

    var totalMicroseconds: Double { serverMicroseconds + postgresMicroseconds + otherMicroseconds }

    /// Requests a second if every core did nothing but this load at this cost.
    var processorBound: Double { totalMicroseconds > 0 ? Double(cores) * 1e6 / totalMicroseconds : 0 }

    /// "server 310 µs, PostgreSQL 120 µs, the rest 90 µs a request; machine 98 % busy: bound at 3846 req/s".
    var summary: String {
        "server \(format(serverMicroseconds)) µs, PostgreSQL \(format(postgresMicroseconds)) µs, "
            + "the rest \(format(otherMicroseconds)) µs \(unit.each); machine \(Int((machineBusy * 100).rounded())) % "
            + "busy: bound at \(format(processorBound)) \(unit.rate) on \(cores) cores"
    }

    /// Each part's median over the runs.
    static func medians(_ uses: [ProcessorUse]) -> ProcessorUse? {
        guard let first = uses.first else { return nil }
        func middle(_ part: (ProcessorUse) -> Double) -> Double { median(uses.map(part)) ?? 0 }
        return ProcessorUse(
            serverMicroseconds: middle(\.serverMicroseconds), postgresMicroseconds: middle(\.postgresMicroseconds),
            otherMicroseconds: middle(\.otherMicroseconds), machineBusy: middle(\.machineBusy), cores: first.cores,
            unit: first.unit)
    }
}

/// Reads the processor time of the machine, the server and PostgreSQL (the postmaster and its children, and
/// what the postmaster's children that ended had used).
struct ProcessorMeter {
    let serverPID: Int32
    let postmasterPID: Int32

    /// Processor time so far, in clock ticks.
    struct Sample: Equatable {
        var machineBusy: Double
        var machineTotal: Double
        var server: Double
        var postgres: Double
    }

    /// The meter for the server's process and the PostgreSQL cluster one of whose backends is `backendPID`.
    static func meter(serverPID: Int32, backendPID: Int32) throws -> ProcessorMeter {
        guard let backend = processStat(backendPID) else {
            throw BenchError("no /proc entry for backend \(backendPID)")
        }
        return ProcessorMeter(serverPID: serverPID, postmasterPID: backend.parent)
    }

    func sample() throws -> Sample {
        let machine = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        guard let (busy, total) = Self.machineTicks(machine) else { throw BenchError("cannot read /proc/stat") }
        guard let server = Self.processStat(serverPID), let postmaster = Self.processStat(postmasterPID) else {
            throw BenchError("the server or PostgreSQL is gone")
        }
        var postgres = postmaster.own + postmaster.children
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = Self.processStat(pid), stat.parent == postmasterPID else {
                continue
            }
            postgres += stat.own
        }
        return Sample(machineBusy: busy, machineTotal: total, server: server.own, postgres: postgres)
    }

    /// The use per request between two samples of a run that answered `requests` (or made that many deliveries).
    static func use(
        from start: Sample, to end: Sample, requests: Int, cores: Int, unit: ProcessorUse.Unit = .request
    ) -> ProcessorUse? {
        let total = end.machineTotal - start.machineTotal
        guard requests > 0, total > 0 else { return nil }
        let tick = 1e6 / clockTicksPerSecond
        let perRequest = tick / Double(requests)
        let busy = end.machineBusy - start.machineBusy
        let server = end.server - start.server
        let postgres = end.postgres - start.postgres
        return ProcessorUse(
            serverMicroseconds: server * perRequest, postgresMicroseconds: postgres * perRequest,
            otherMicroseconds: max(0, busy - server - postgres) * perRequest, machineBusy: busy / total, cores: cores,
            unit: unit)
    }

    static let clockTicksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The first line of `/proc/stat` ("cpu  user nice system idle iowait irq softirq steal …"): busy and all
    /// ticks of every core.
    static func machineTicks(_ text: String) -> (busy: Double, total: Double)? {
        guard let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let values = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard values.count == 8 else { return nil }
        let total = values.reduce(0, +)
        return (total - values[3] - values[4], total)
    }

    /// A process's parent, its own user and system ticks, and those of its children it waited for.
    static func processStat(_ pid: Int32) -> (parent: Int32, own: Double, children: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return parseStat(text)
    }

    /// `/proc/<pid>/stat`: after the command in parentheses come the state (field 3), the parent (4), and
    /// utime, stime, cutime, cstime (14–17).
    static func parseStat(_ text: String) -> (parent: Int32, own: Double, children: Double)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int32(fields[1]) else { return nil }
        let times = fields[11...14].compactMap { Double($0) }
        guard times.count == 4 else { return nil }
        return (parent, times[0] + times[1], times[2] + times[3])
    }
}
