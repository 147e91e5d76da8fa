import Foundation
import Synchronization

/// What a statement's text says about the session state it may leave behind, worked out once per distinct
/// text (see ``PostgresConnection``'s `noteSessionState`).
struct StatementTraits: Sendable {
    /// The text begins with `SET LOCAL`, whose setting ends with its transaction.
    var isSetLocal: Bool
    /// The text calls `set_config` or `pg_advisory_lock`, which may outlive the transaction.
    var callsSessionFunctions: Bool

    init(sql: String) {
        isSetLocal = sql.drop { $0.isWhitespace }.uppercased().hasPrefix("SET LOCAL ")
        callsSessionFunctions =
            sql.containsIgnoringASCIICase("set_config") || sql.containsIgnoringASCIICase("pg_advisory_lock")
    }
}

/// The statements a connection has prepared on its server, by SQL text and parameter types, with the least
/// recently used one evicted once ``capacity`` is reached.
///
/// Names are `sb1`, `sb2`, … and never reused on one connection, so an entry the client forgot while the
/// server still holds it (an eviction whose `DEALLOCATE` could not run yet) can never collide with a new one.
/// The traits of statements without parameters (which are not prepared) are remembered beside them.
struct PreparedStatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [PostgresDataType]
    }

    struct Entry {
        var name: String
        var traits: StatementTraits
        var lastUse: UInt64
    }

    /// The most statements prepared at once; 0 turns preparing off.
    let capacity: Int
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var nameCounter = 0
    /// Traits of texts that run unprepared (no parameters, or the cache is off).
    private var unpreparedTraits: [String: StatementTraits] = [:]
    /// Names evicted or made stale whose `DEALLOCATE` has not run yet.
    private(set) var pendingDeallocations: [String] = []
    /// The database the connection is to (`nil` when the URL names none), for ``forget(database:)``.
    private let database: String?
    /// The last ``generation`` this cache looked at, and the one its entries are valid since.
    private var seenGeneration: Int
    private var validSince: Int

    /// Bumped by every ``forget(database:)``: one relaxed load per statement tells a cache whether to look.
    private static let generation = Atomic<Int>(0)
    /// The generation of the last ``forget(database:)`` of each database (`nil`: of every database).
    private static let forgotten = Mutex<[String?: Int]>([:])

    /// Makes every cache of the process for `database` (every cache, when `nil`) discard its entries before
    /// its next use.
    static func forget(database: String?) {
        forgotten.withLock { forgotten in
            forgotten[database] = generation.add(1, ordering: .relaxed).newValue
        }
    }

    init(capacity: Int, database: String?) {
        self.capacity = max(0, capacity)
        self.database = database
        let current = Self.generation.load(ordering: .relaxed)
        seenGeneration = current
        validSince = current
    }

    var count: Int { entries.count }

    /// The prepared entry for `key`, marked as just used.
    mutating func lookup(_ key: Key) -> Entry? {
        checkGeneration()
        // One hash of the text: the index serves both the read and the update.
        guard let index = entries.index(forKey: key) else { return nil }
        clock &+= 1
        entries.values[index].lastUse = clock
        return entries.values[index]
    }

    /// Records a statement about to be prepared and returns its new name; evicts the least recently used
    /// entry (not one of `keeping`) when full, queueing its `DEALLOCATE`.
    mutating func insert(_ key: Key, keeping: Set<Key> = []) -> Entry {
        checkGeneration()
        if entries.count >= capacity,
            let victim = entries.filter({ !keeping.contains($0.key) }).min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            entries[victim.key] = nil
            pendingDeallocations.append(victim.value.name)
        }
        nameCounter += 1
        clock &+= 1
        let entry = Entry(name: "sb\(nameCounter)", traits: StatementTraits(sql: key.sql), lastUse: clock)
        entries[key] = entry
        return entry
    }

    /// Forgets an entry whose statement the server does not hold (it failed to prepare, or was never sent).
    mutating func remove(_ key: Key) {
        entries[key] = nil
    }

    /// Forgets an entry the server still holds in an unusable form, queueing its `DEALLOCATE`.
    mutating func discard(_ key: Key) {
        if let entry = entries.removeValue(forKey: key) { pendingDeallocations.append(entry.name) }
    }

    /// Forgets every entry the server may still hold, queueing their `DEALLOCATE`s.
    mutating func discardAll() {
        pendingDeallocations.append(contentsOf: entries.values.map(\.name))
        entries.removeAll()
    }

    /// The server dropped every prepared statement (`DISCARD ALL`, `DEALLOCATE ALL`): forget them all.
    mutating func serverForgotAll() {
        entries.removeAll()
        pendingDeallocations.removeAll()
    }

    /// Takes the queued `DEALLOCATE`s (the caller sends them).
    mutating func takePendingDeallocations() -> [String] {
        defer { pendingDeallocations.removeAll() }
        return pendingDeallocations
    }

    /// The traits of a text that runs unprepared, worked out on its first run only.
    mutating func traits(ofUnprepared sql: String) -> StatementTraits {
        if let traits = unpreparedTraits[sql] { return traits }
        let traits = StatementTraits(sql: sql)
        if unpreparedTraits.count >= 256 { unpreparedTraits.removeAll(keepingCapacity: true) }
        unpreparedTraits[sql] = traits
        return traits
    }

    private mutating func checkGeneration() {
        let current = Self.generation.load(ordering: .relaxed)
        guard current != seenGeneration else { return }
        seenGeneration = current
        let last = Self.forgotten.withLock { max($0[database] ?? Int.min, $0[nil] ?? Int.min) }
        if last > validSince {
            validSince = current
            discardAll()
        }
    }
}
