import Foundation

/// One feature of a boundaries file: which grid it names (by `id` or `code` in its properties) and its geometry,
/// or what is wrong with it. A `null` geometry clears the grid's boundary.
public struct BoundaryFeature: Sendable, Equatable {
    /// 1 for the first feature of the file.
    public var index: Int
    public var id: Int64?
    public var code: String?
    public var name: String?
    public var geometry: Result<Boundary?, DomainError>

    /// How the report names the feature: its code, else its id, else its name, else its number.
    public var ref: String { code ?? id.map { "\($0)" } ?? name ?? "#\(index)" }
}

/// What stopped a feature of an import; the import writes nothing while any is left.
public struct BoundaryProblem: Sendable, Equatable {
    public var feature: Int
    public var ref: String
    public var error: DomainError
    public init(feature: Int, ref: String, error: DomainError) {
        self.feature = feature
        self.ref = ref
        self.error = error
    }
}

/// An import refused as a whole, with every feature's problem (not just the first).
public struct BoundaryImportError: Error, Sendable, Equatable {
    public var problems: [BoundaryProblem]
    public init(problems: [BoundaryProblem]) { self.problems = problems }
}

/// Grid boundaries exchanged as a GeoJSON FeatureCollection (RFC 7946: WGS 84, [longitude, latitude]); each
/// feature's properties carry the grid's `id`, `code`, `name` and `path` (the names from the top down).
public enum BoundaryCollection {
    /// More features than any district has grids is a mistake: refused before anything is matched.
    public static let maxFeatures = 10_000

    /// The features of a file; only a file that is not a FeatureCollection at all is refused here, a bad feature
    /// is reported in its own `geometry`.
    public static func parse(_ text: String) throws(DomainError) -> [BoundaryFeature] {
        guard let root = JSONValue.parse(text) else { throw DomainError.invalid("boundary_not_json", field: "geojson") }
        guard case .string("FeatureCollection")? = root["type"], case .array(let features)? = root["features"] else {
            throw DomainError.invalid("boundary_not_collection", field: "geojson")
        }
        guard features.count <= maxFeatures else {
            throw DomainError.invalid("boundary_too_many", field: "geojson", args: ["\(maxFeatures)"])
        }
        return features.enumerated().map { offset, feature in
            let properties = feature["properties"]
            let id = (properties?["id"]?.text ?? feature["id"]?.text).flatMap { Int64($0) }
            let code = properties?["code"]?.text.flatMap { $0.isEmpty ? nil : $0 }
            var name: String? = nil
            if case .string(let n)? = properties?["name"] { name = n }
            let geometry: Result<Boundary?, DomainError>
            if id == nil, code == nil {
                geometry = .failure(DomainError.invalid("boundary_feature_unnamed", field: "geojson"))
            } else if feature["geometry"] == nil || feature["geometry"] == .null {
                geometry = .success(nil)
            } else {
                do throws(DomainError) {
                    geometry = .success(try Boundary.parse(geometry: feature["geometry"]!))
                } catch {
                    geometry = .failure(error)
                }
            }
            return BoundaryFeature(index: offset + 1, id: id, code: code, name: name, geometry: geometry)
        }
    }

    /// One grid for an export.
    public struct Item: Sendable {
        public var id: Int64
        public var code: String?
        public var name: String
        public var path: String
        public var boundary: Boundary
        public init(id: Int64, code: String?, name: String, path: String, boundary: Boundary) {
            self.id = id
            self.code = code
            self.name = name
            self.path = path
            self.boundary = boundary
        }
    }

    /// The grids as a FeatureCollection, one feature per line so a diff of two exports reads well.
    public static func format(_ items: [Item]) -> String {
        let features = items.map { item in
            let properties =
                #"{"id":\#(item.id),"code":\#(quoted(item.code)),"name":\#(quoted(item.name)),"path":\#(quoted(item.path))}"#
            return
                #"{"type":"Feature","id":\#(item.id),"properties":\#(properties),"geometry":\#(item.boundary.geoJSON)}"#
        }
        return #"{"type":"FeatureCollection","features":["# + (features.isEmpty ? "" : "\n")
            + features.joined(separator: ",\n") + (features.isEmpty ? "" : "\n") + "]}\n"
    }

    public static func quoted(_ s: String?) -> String {
        guard let s else { return "null" }
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
