import Foundation

/// The CSV form of the jurisdiction tree: `ref,kind,name,parent_ref,code,estate`.
/// `ref` is a key unique in the file (an exporter writes the division code or "n<id>");
/// rows must come after their parent.
public struct TreeRecord: Sendable, Equatable {
    public var line: Int
    public var ref: String
    public var kind: NodeKind
    public var name: String
    public var parentRef: String?
    public var code: String?
    public var estate: String?
    /// Where a building stands (WGS 84), when the file gives it.
    public var latitude: Double?
    public var longitude: Double?

    public init(
        line: Int, ref: String, kind: NodeKind, name: String, parentRef: String?, code: String?, estate: String?
    ) {
        self.line = line
        self.ref = ref
        self.kind = kind
        self.name = name
        self.parentRef = parentRef
        self.code = code
        self.estate = estate
    }

    public static let header = ["ref", "kind", "name", "parent_ref", "code", "estate"]
    /// The header with coordinates, which exports write and imports accept as well as the short one.
    public static let fullHeader = header + ["latitude", "longitude"]

    /// Checks every row before anything is written; the first problem names its line.
    public static func parse(_ text: String, existingRefs: Set<String> = []) throws(DomainError) -> [TreeRecord] {
        let rows = try CSV.parse(text)
        let columns = rows.first?.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let columns, columns == header || columns == fullHeader else {
            throw .invalid("csv_bad_header", args: [header.joined(separator: ",")])
        }
        var seen: [String: NodeKind] = [:]
        var records: [TreeRecord] = []
        for row in rows.dropFirst() {
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let line = "\(row.line)"
            guard f.count == columns.count else { throw .invalid("csv_field_count", args: [line, "\(columns.count)"]) }
            guard !f[0].isEmpty else { throw .invalid("csv_ref_missing", args: [line]) }
            guard seen[f[0]] == nil else { throw .invalid("csv_ref_duplicate", args: [line, f[0]]) }
            let kind: NodeKind
            do { kind = try NodeKind.parse(f[1]) } catch { throw .invalid("csv_kind_unknown", args: [line, f[1]]) }
            let name: String
            do { name = try TreeRules.validName(f[2]) } catch { throw .invalid("csv_name_invalid", args: [line]) }
            let parentRef = f[3].isEmpty ? nil : f[3]
            if let parentRef {
                if let parentKind = seen[parentRef] {
                    guard parentKind.mayHold(kind) else {
                        throw .invalid("csv_kind_not_allowed", args: [line, kind.rawValue, parentKind.rawValue])
                    }
                } else if !existingRefs.contains(parentRef) {
                    throw .invalid("csv_parent_unknown", args: [line, parentRef])
                }
            } else if !kind.mayBeRoot {
                throw .invalid("csv_parent_missing", args: [line])
            }
            let code: String?
            do { code = try TreeRules.validCode(f[4], kind: kind) } catch {
                throw .invalid("csv_code_invalid", args: [line, f[4]])
            }
            if !f[5].isEmpty && kind != .building { throw .invalid("csv_estate_not_building", args: [line]) }
            seen[f[0]] = kind
            var record = TreeRecord(
                line: row.line, ref: f[0], kind: kind, name: name, parentRef: parentRef,
                code: code, estate: f[5].isEmpty ? nil : f[5])
            if f.count == 8, !(f[6].isEmpty && f[7].isEmpty) {
                guard let lat = Double(f[6]), let lng = Double(f[7]), (-90...90).contains(lat),
                    (-180...180).contains(lng)
                else {
                    throw .invalid("csv_point_invalid", args: [line])
                }
                record.latitude = lat
                record.longitude = lng
            }
            records.append(record)
        }
        return records
    }
}

/// The CSV form of governance bodies and duty lists: `community_ref,body_kind,body_name,major_item,minor_item`.
/// A body with no duties has empty item fields; a major item with no minors has an empty minor field.
public struct BodyRecord: Sendable, Equatable {
    public var line: Int
    public var communityRef: String
    public var kind: BodyKind
    public var name: String
    public var major: String?
    public var minor: String?

    public static let header = ["community_ref", "body_kind", "body_name", "major_item", "minor_item"]

    public static func parse(_ text: String) throws(DomainError) -> [BodyRecord] {
        let rows = try CSV.parse(text)
        guard let head = rows.first, head.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == header else {
            throw .invalid("csv_bad_header", args: [header.joined(separator: ",")])
        }
        return try rows.dropFirst().map { row throws(DomainError) in
            let f = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let line = "\(row.line)"
            guard f.count == header.count else { throw .invalid("csv_field_count", args: [line, "\(header.count)"]) }
            guard !f[0].isEmpty else { throw .invalid("csv_ref_missing", args: [line]) }
            let kind: BodyKind
            do { kind = try BodyKind.parse(f[1]) } catch {
                throw .invalid("csv_body_kind_unknown", args: [line, f[1]])
            }
            guard !f[2].isEmpty, f[2].count <= 80 else { throw .invalid("csv_name_invalid", args: [line]) }
            if f[3].isEmpty && !f[4].isEmpty { throw .invalid("csv_minor_without_major", args: [line]) }
            return BodyRecord(
                line: row.line, communityRef: f[0], kind: kind, name: f[2],
                major: f[3].isEmpty ? nil : f[3], minor: f[4].isEmpty ? nil : f[4])
        }
    }
}
