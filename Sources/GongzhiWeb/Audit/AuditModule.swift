import GongzhiDomain

extension ModuleManifest {
    /// The audit log, for auditors.
    static let audit = ModuleManifest(
        name: "audit", templates: ["audit/audit"],
        navigation: [
            NavigationEntry(
                order: 60, href: "/audit", label: "nav_audit", section: "audit", visible: { $0.holds(.auditor) })
        ],
        routes: { services, groups in AuditPages(services: services).register(on: groups.pages) })
}
