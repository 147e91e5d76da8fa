import CLibPQ

/// Owns a `PGresult`; `PQclear` runs when it goes out of scope.
struct ResultHandle: ~Copyable {
    let pointer: OpaquePointer?

    init(_ pointer: OpaquePointer?) {
        self.pointer = pointer
    }

    deinit {
        if let pointer { PQclear(pointer) }
    }
}
