import Foundation

/// How an Open311 client's request of a category is answered: at once with the case number (`realtime`), or with a
/// token that resolves to the number once a person has accepted the case (`batch`).
public enum ServiceType: String, CaseIterable, Codable, Sendable { case realtime, batch }

/// One choice of a list attribute.
public struct ServiceAttributeValue: Codable, Equatable, Sendable {
    public var key: String
    public var name: String
    public init(key: String, name: String) {
        self.key = key
        self.name = name
    }
}

/// A question a category asks of each request (GeoReport v2 service definition attribute).
public struct ServiceAttribute: Codable, Equatable, Sendable {
    public enum Datatype: String, CaseIterable, Codable, Sendable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }
    public var code: String
    /// False for an informational line that takes no answer.
    public var variable: Bool
    public var datatype: Datatype
    public var required: Bool
    public var description: String
    public var datatypeDescription: String
    public var order: Int
    public var values: [ServiceAttributeValue]

    public init(
        code: String, variable: Bool = true, datatype: Datatype, required: Bool = false, description: String,
        datatypeDescription: String = "", order: Int = 0, values: [ServiceAttributeValue] = []
    ) {
        self.code = code
        self.variable = variable
        self.datatype = datatype
        self.required = required
        self.description = description
        self.datatypeDescription = datatypeDescription
        self.order = order
        self.values = values
    }

    static let maxValueLength = 2000
}

/// What a category says to Open311: its type, its attributes, and whether its cases are public unless the reporter
/// says otherwise.
public struct ServiceSettings: Codable, Equatable, Sendable {
    public var type: ServiceType
    public var attributes: [ServiceAttribute]
    public var publicByDefault: Bool
    public init(type: ServiceType = .realtime, attributes: [ServiceAttribute] = [], publicByDefault: Bool = true) {
        self.type = type
        self.attributes = attributes
        self.publicByDefault = publicByDefault
    }

    /// Codes are unique and made of letters, digits, `_` and `-`; list attributes have choices with unique keys.
    public func validate() throws(DomainError) {
        var codes = Set<String>()
        for a in attributes {
            guard !a.code.isEmpty, a.code.count <= 64,
                a.code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                codes.insert(a.code).inserted, !a.description.isEmpty
            else {
                throw .invalid("service_settings_invalid", field: "attributes")
            }
            let isList = a.datatype == .singlevaluelist || a.datatype == .multivaluelist
            guard isList == !a.values.isEmpty, Set(a.values.map(\.key)).count == a.values.count,
                a.values.allSatisfy({ !$0.key.isEmpty })
            else {
                throw .invalid("service_settings_invalid", field: "attributes")
            }
        }
    }

    /// Checks posted answers (`attribute[code]`, several values for a multi-value list) against the attributes:
    /// required ones present, numbers and datetimes well formed, list answers among the choices. Answers to codes
    /// the category does not ask are dropped. Returns the (code, value) pairs to store, in attribute order.
    public func check(_ posted: [String: [String]]) throws(DomainError) -> [(String, String)] {
        var out: [(String, String)] = []
        for a in attributes.sorted(by: { ($0.order, $0.code) < ($1.order, $1.code) }) where a.variable {
            let values = (posted[a.code] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter {
                !$0.isEmpty
            }
            if values.isEmpty {
                if a.required { throw .invalid("attribute_required", field: "attribute[\(a.code)]", args: [a.code]) }
                continue
            }
            let invalid = DomainError.invalid("attribute_invalid", field: "attribute[\(a.code)]", args: [a.code])
            guard values.allSatisfy({ $0.count <= ServiceAttribute.maxValueLength }) else { throw invalid }
            switch a.datatype {
            case .multivaluelist:
                let keys = Set(a.values.map(\.key))
                guard values.allSatisfy(keys.contains) else { throw invalid }
                var seen = Set<String>()
                for v in values where seen.insert(v).inserted { out.append((a.code, v)) }
                continue
            case .singlevaluelist:
                guard values.count == 1, a.values.contains(where: { $0.key == values[0] }) else { throw invalid }
            case .number:
                guard values.count == 1, let n = Double(values[0]), n.isFinite else { throw invalid }
            case .datetime:
                guard values.count == 1, ISO8601DateFormatter().date(from: values[0]) != nil else { throw invalid }
            case .string, .text:
                guard values.count == 1 else { throw invalid }
            }
            out.append((a.code, values[0]))
        }
        return out
    }
}
