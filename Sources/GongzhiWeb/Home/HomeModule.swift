import GongzhiDomain

extension ModuleManifest {
    /// The portal and each role's home page.
    static let home = ModuleManifest(
        name: "home", templates: ["home/home", "home/portal"],
        navigation: [NavigationEntry(order: 0, href: "/home", label: "nav_home", section: "home")],
        routes: { services, groups in HomePages(services: services).register(on: groups.pages) })
}
