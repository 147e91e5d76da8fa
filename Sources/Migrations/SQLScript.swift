import Foundation

/// Splits SQL text into statements, for files that run outside a transaction: the simple query protocol
/// would otherwise run all of a file's statements in one implicit transaction, where
/// `CREATE INDEX CONCURRENTLY` is refused.
enum SQLScript {
    /// The statements of `sql`, split at semicolons that are not inside quotes, dollar-quoted bodies or
    /// comments; empty statements are dropped.
    static func statements(in sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty, !isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }

        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "-" where next == "-":
                while index < characters.count, characters[index] != "\n" {
                    current.append(characters[index])
                    index += 1
                }
                continue
            case "/" where next == "*":
                var depth = 0
                repeat {
                    if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                        depth += 1
                        current.append(contentsOf: [characters[index], characters[index + 1]])
                        index += 2
                    } else if characters[index] == "*", index + 1 < characters.count, characters[index + 1] == "/" {
                        depth -= 1
                        current.append(contentsOf: [characters[index], characters[index + 1]])
                        index += 2
                    } else {
                        current.append(characters[index])
                        index += 1
                    }
                } while depth > 0 && index < characters.count
                continue
            case "'", "\"":
                let escapes =
                    character == "'" && index > 0 && (characters[index - 1] == "E" || characters[index - 1] == "e")
                current.append(character)
                index += 1
                while index < characters.count {
                    let inner = characters[index]
                    current.append(inner)
                    index += 1
                    if escapes, inner == "\\", index < characters.count {
                        current.append(characters[index])
                        index += 1
                    } else if inner == character {
                        // A doubled quote stays inside the literal.
                        if index < characters.count, characters[index] == character {
                            current.append(characters[index])
                            index += 1
                        } else {
                            break
                        }
                    }
                }
                continue
            case "$":
                if let tag = dollarTag(characters, at: index) {
                    current.append(contentsOf: tag)
                    index += tag.count
                    while index < characters.count {
                        if characters[index] == "$",
                            Array(characters[index..<min(index + tag.count, characters.count)]) == tag
                        {
                            current.append(contentsOf: tag)
                            index += tag.count
                            break
                        }
                        current.append(characters[index])
                        index += 1
                    }
                    continue
                }
            case ";":
                flush()
                index += 1
                continue
            default:
                break
            }
            current.append(character)
            index += 1
        }
        flush()
        return statements
    }

    /// `$tag$` or `$$` starting at `index`, when it opens a dollar-quoted string (not a `$1` parameter).
    private static func dollarTag(_ characters: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < characters.count, characters[end] != "$" {
            let scalar = characters[end]
            let isTagCharacter =
                scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || (end > index + 1 && ("0"..."9").contains(scalar))
            guard isTagCharacter else { return nil }
            end += 1
        }
        guard end < characters.count else { return nil }
        return Array(characters[index...end])
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }

    /// `line 12, column 5` for PostgreSQL's 1-based character position in `sql`.
    static func lineAndColumn(of position: Int, in sql: String) -> String {
        var line = 1
        var column = 1
        for (offset, character) in sql.unicodeScalars.enumerated() {
            if offset >= position - 1 { break }
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }
}
