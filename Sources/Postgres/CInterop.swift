import CLibPQ

#if canImport(Glibc)
    import Glibc
#endif

/// Calls `body` with libpq-style parameter arrays: the count, the type OIDs and NUL-terminated values
/// (a null pointer for SQL NULL), all laid out in one allocation that lives for the call.
func withCParameters<Result>(
    _ bindings: PostgresBindings,
    _ body: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?) -> Result
) -> Result {
    let values = bindings.values
    var total = 0
    for value in values { total += (value?.utf8.count ?? 0) + 1 }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
    defer { buffer.deallocate() }
    var pointers: [UnsafePointer<CChar>?] = []
    pointers.reserveCapacity(values.count)
    var offset = 0
    for value in values {
        guard var value else {
            pointers.append(nil)
            continue
        }
        let start = offset
        value.withUTF8 { utf8 in
            if let base = utf8.baseAddress {
                (buffer.baseAddress! + offset).copyMemory(from: base, byteCount: utf8.count)
            }
            offset += utf8.count
        }
        buffer[offset] = 0
        offset += 1
        pointers.append(UnsafePointer((buffer.baseAddress! + start).assumingMemoryBound(to: CChar.self)))
    }
    let types = bindings.types.map { Oid($0.rawValue) }
    return types.withUnsafeBufferPointer { types in
        pointers.withUnsafeBufferPointer { pointers in
            body(Int32(values.count), types.baseAddress, pointers.baseAddress)
        }
    }
}

/// Calls `body` with two NULL-terminated arrays of C strings, as `PQconnectdbParams` wants them.
func withCStringArrays<Result>(
    _ first: [String],
    _ second: [String],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let firstCopies = first.map { strdup($0) }
    let secondCopies = second.map { strdup($0) }
    defer {
        for copy in firstCopies + secondCopies { free(copy) }
    }
    let firstPointers = firstCopies.map { UnsafePointer($0) } + [nil]
    let secondPointers = secondCopies.map { UnsafePointer($0) } + [nil]
    return firstPointers.withUnsafeBufferPointer { firstBuffer in
        secondPointers.withUnsafeBufferPointer { secondBuffer in
            body(firstBuffer.baseAddress!, secondBuffer.baseAddress!)
        }
    }
}

extension String {
    /// A case-insensitive search for an ASCII needle, without allocating.
    func containsIgnoringASCIICase(_ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return true }
        let haystack = Array(utf8)
        guard haystack.count >= pattern.count else { return false }
        func lower(_ byte: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }
        for start in 0...(haystack.count - pattern.count) where lower(haystack[start]) == first {
            var matched = true
            for offset in 1..<pattern.count where lower(haystack[start + offset]) != pattern[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }
}
