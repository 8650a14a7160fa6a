import Foundation

/// Splitting one grid into two and merging two grids into one; buildings are reassigned, never dropped.
public enum GridChange {
    public enum Side: String, Sendable, Codable { case first, second }

    /// Every building of the grid must go to exactly one of the two new grids, and only those buildings.
    public static func checkSplit(
        grid: Node, buildings: Set<Int64>, assignment: [Int64: Side], names: (String, String)
    ) throws(DomainError) {
        guard grid.kind == .grid else { throw .invalid("split_needs_grid") }
        guard grid.isOpen else { throw DomainError(.conflict, "node_already_closed") }
        let first = try TreeRules.validName(names.0, field: "split_first")
        let second = try TreeRules.validName(names.1, field: "split_second")
        guard first != second else { throw .invalid("split_names_equal", field: "split_second") }
        let unassigned = buildings.subtracting(assignment.keys)
        guard unassigned.isEmpty else {
            throw .invalid("split_building_unassigned", field: "assignment", args: ["\(unassigned.count)"])
        }
        let foreign = Set(assignment.keys).subtracting(buildings)
        guard foreign.isEmpty else { throw .invalid("split_building_foreign", field: "assignment") }
    }

    public static func checkMerge(_ a: Node, _ b: Node, name: String) throws(DomainError) {
        guard a.kind == .grid, b.kind == .grid else { throw .invalid("merge_needs_grids") }
        guard a.id != b.id else { throw .invalid("merge_same_grid", field: "other") }
        guard a.isOpen, b.isOpen else { throw DomainError(.conflict, "node_already_closed") }
        guard a.parentID == b.parentID else { throw .invalid("merge_different_community", field: "other") }
        _ = try TreeRules.validName(name, field: "merge_name")
    }
}
