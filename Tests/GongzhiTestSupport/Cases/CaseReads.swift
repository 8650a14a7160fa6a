import Foundation
import GongzhiDomain
import GongzhiStore

/// Reads for assertions, as a system administrator over the whole tree (who may see every case).
extension CaseStore {
    public func all(_ filter: CaseFilter = CaseFilter(scope: .area)) async throws -> [Case] {
        var f = filter
        f.scope = .area
        return try await list(f, for: .root)
    }

    public func find(_ id: Int64) async throws -> Case? {
        try? await record(id, for: .root, now: Date()).case
    }

    public func events(of id: Int64) async throws -> [CaseEvent] {
        try await record(id, for: .root, now: Date()).timeline
    }

    public func mediations(of id: Int64) async throws -> [MediationSession] {
        try await record(id, for: .root, now: Date()).mediations
    }
}

extension CaseStore {
    public func photos(of id: Int64) async throws -> [CasePhoto] {
        try await photos(of: id, for: .root, now: Date())
    }
}
