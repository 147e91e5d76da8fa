import Foundation
import Postgres
import Testing

@Suite("Ids for new rows")
struct UUIDTests {
    @Test("a time-ordered id is a version 7 UUID carrying its millisecond and random bits")
    func versionSeven() {
        let date = Date(timeIntervalSince1970: 1_585_699_200.123)  // 2020-04-01T00:00:00.123Z
        let id = UUID.timeOrdered(at: date)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_585_699_200_123)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        #expect(UUID.timeOrdered(at: date) != id)
    }

    @Test("ids made in later milliseconds sort after earlier ones, as PostgreSQL compares uuid")
    func ordering() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = (0..<1000).map { UUID.timeOrdered(at: start.addingTimeInterval(Double($0) / 1000)) }  // 1 ms apart
        let texts = ids.map { $0.uuidString.lowercased() }
        #expect(texts == texts.sorted())
        #expect(Set(ids).count == ids.count)
    }
}
