import Foundation

/// What the registry's search box holds, read the way a grid worker types: an ID number or a phone number finds
/// exactly (through a keyed hash), four digits the phones ending in them, anything else a name, in part.
public enum RegistryQuery: Sendable, Equatable {
    case document(String)
    case phone(String)
    case phoneTail(String)
    case name(String)

    /// Nil for an empty box.
    public static func parse(_ raw: String) -> RegistryQuery? {
        let folded = HalfWidth.fold(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !folded.isEmpty else { return nil }
        let compact = folded.filter { !$0.isWhitespace && $0 != "-" }.uppercased()
        let digits = compact.allSatisfy(\.isNumber)
        if digits, compact.count == 4 { return .phoneTail(compact) }
        if digits, compact.count == 11, compact.hasPrefix("1") { return .phone(compact) }
        if compact.count >= 8, compact.count <= 18, compact.contains(where: \.isNumber),
            compact.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) })
        {
            return .document(compact)
        }
        return .name(String(folded.prefix(Person.maxNameLength)))
    }
}

/// The pieces a name is found by without keeping it readable: each character and each pair of neighbouring
/// characters of the folded name, stored as keyed hashes. A search of one character looks that character up; a
/// longer one needs every pair it holds, and the names found are then compared in full after opening them.
public enum NameTerms {
    /// The name as compared: half-width, lower case, without spaces or the middle dot of transliterated names.
    public static func fold(_ name: String) -> String {
        HalfWidth.fold(name).lowercased().filter { !$0.isWhitespace && $0 != "·" && $0 != "•" && $0 != "." }
    }

    /// Every character and every pair of neighbouring characters, without repeats.
    public static func stored(_ name: String) -> Set<String> {
        let chars = Array(fold(name))
        var terms = Set(chars.map { "1:" + String($0) })
        if chars.count > 1 { for i in 0..<(chars.count - 1) { terms.insert("2:" + String(chars[i...(i + 1)])) } }
        return terms
    }

    /// The terms a search needs: its character, or its pairs.
    public static func query(_ text: String) -> Set<String> { Set(ordered(text)) }

    /// The same terms in the order of the text, without repeats: the first holds the surname.
    public static func ordered(_ text: String) -> [String] {
        let chars = Array(fold(text))
        guard chars.count > 1 else { return chars.map { "1:" + String($0) } }
        var seen = Set<String>()
        return (0..<(chars.count - 1)).map { "2:" + String(chars[$0...($0 + 1)]) }.filter { seen.insert($0).inserted }
    }

    /// Whether the opened `name` holds the search `text` (a pair search matches pairs anywhere; this keeps the
    /// characters in order).
    public static func matches(_ name: String, _ text: String) -> Bool {
        fold(name).contains(fold(text))
    }
}
