import GongzhiDomain

extension ModuleManifest {
    /// The tree, its governance bodies and duty lists, import and export.
    static let jurisdiction = ModuleManifest(
        name: "jurisdiction",
        templates: [
            "jurisdiction/node", "jurisdiction/body", "jurisdiction/duty_actions", "jurisdiction/roots",
            "partials/map_svg", "partials/map_picker",
        ],
        navigation: [NavigationEntry(order: 30, href: "/nodes", label: "nav_tree", section: "tree")],
        routes: { services, groups in
            TreePages(services: services).register(on: groups.pages)
            JurisdictionAPI(services: services).register(on: groups.api)
            MapPages(services: services).register(pages: groups.pages, api: groups.api)
            LeafletAssets(services: services).register(on: groups.pages)
        })
}
