import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension CareGroupDetail: ResponseEncodable {}
extension CarePlan: ResponseEncodable {}
extension PersonCare: ResponseEncodable {}
extension CareOutcome: ResponseEncodable {}

/// Care visits in the JSON API: the same inputs the pages' forms decode, the same writer.
struct CareAPI {
    let services: AppServices
    var store: CareStore { CareStore(db: services.db) }
    var commands: CareCommands { CareCommands(db: services.db, clock: services.clock) }
    var today: CalendarDate { CalendarDate(services.clock.now()) }

    struct Groups: ResponseEncodable {
        var items: [CareGroupSummary]
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/care/plan") { request, context in
            try await store.plan(
                for: try context.requireActor(), today: today,
                overdueOnly: ["1", "true"].contains(request.uri.queryParameters["overdue"].map(String.init) ?? ""))
        }
        api.get("/care/groups") { _, context in
            Groups(items: try await store.groups(for: try context.requireActor(), today: today))
        }
        api.post("/care/groups") { request, context in
            let actor = try context.requireActor()
            let input = try await request.decodeInput(CareGroupInput.self, context: context)
            guard let community = input.community?.value else {
                throw DomainError.invalid("care_community_unknown", field: "community")
            }
            let outcome = try await commands.perform(actor, .createGroup(community: community, try input.draft()))
            var response = try EditedResponse(status: .created, response: outcome).response(
                from: request, context: context)
            response.headers[.location] = "/api/v1/care/groups/\(outcome.id)"
            return response
        }
        api.get("/care/groups/:id") { _, context in
            try await store.group(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(), today: today)
        }
        api.post("/care/groups/:id/edit") { request, context in
            try await step(request, context) { id in
                .editGroup(group: id, try await request.decodeInput(CareGroupInput.self, context: context).draft())
            }
        }
        api.post("/care/groups/:id/fill") { request, context in
            try await step(request, context) { id in .addTagged(group: id) }
        }
        api.post("/care/groups/:id/members") { request, context in
            try await step(request, context) { id in
                let input = try await request.decodeInput(CareMemberInput.self, context: context)
                return .addMember(group: id, person: try input.person(), visitor: input.visitor?.value)
            }
        }
        api.post("/care/groups/:id/members/:person/assign") { request, context in
            let person = try context.parameters.require("person", as: Int64.self)
            return try await step(request, context) { id in
                .assign(
                    group: id, person: person,
                    visitor: try await request.decodeInput(CareAssignInput.self, context: context).user())
            }
        }
        api.post("/care/groups/:id/members/:person/remove") { request, context in
            let person = try context.parameters.require("person", as: Int64.self)
            return try await step(request, context) { id in .removeMember(group: id, person: person) }
        }
        api.get("/people/:id/visits") { _, context in
            try await store.care(
                of: try context.parameters.require("id", as: Int64.self), for: try context.requireActor(), today: today)
        }
        api.post("/people/:id/visits") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.care(of: id, for: actor, today: today)
            let input = try await request.decodeInput(CareVisitInput.self, context: context)
            let outcome = try await commands.perform(actor, .recordVisit(person: id, try input.draft(today: today)))
            return try EditedResponse(status: .created, response: outcome).response(from: request, context: context)
        }
    }

    /// A step on a group: the group must be visible before the body is read.
    func step(
        _ request: Request, _ context: AppRequestContext, _ command: (Int64) async throws -> CareCommand
    ) async throws -> CareOutcome {
        let actor = try context.requireActor()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await store.group(id, for: actor, today: today)
        return try await commands.perform(actor, try await command(id))
    }
}
