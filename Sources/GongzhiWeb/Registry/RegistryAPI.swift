import Foundation
import GongzhiDomain
import GongzhiStore
import Hummingbird

extension PersonPage: ResponseEncodable {}
extension PersonDetail: ResponseEncodable {}
extension PersonOutcome: ResponseEncodable {}
extension HouseSummary: ResponseEncodable {}
extension House: ResponseEncodable {}
extension ImportReport: ResponseEncodable {}

/// The registry in the JSON API: the same inputs the pages' forms decode (`PersonForm`'s snake_case fields are the
/// people file's English headers), the same writer; `If-Match` carries the version acted on, `ETag` the new one.
struct RegistryAPI {
    let services: AppServices
    var store: RegistryStore { RegistryStore(db: services.db) }
    var commands: RegistryCommands { RegistryCommands(db: services.db, clock: services.clock) }
    var today: CalendarDate { CalendarDate(services.clock.now()) }

    /// A full view's answer: the one field asked for.
    struct Revealed: ResponseEncodable {
        var field: String
        var value: String
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("/people") { request, context in
            var params: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { params[String(key)] = String(value) }
            let limit = min(200, max(1, Int(params["limit"] ?? "50") ?? 50))
            return try await store.people(
                try PersonQuery(params).filter(limit: limit), for: try context.requireActor(), today: today)
        }
        api.post("/people") { request, context in
            let input = try await request.decodeInput(PersonForm.self, context: context)
            let outcome = try await commands.perform(
                try context.requireActor(), person: nil, .register(try input.draft(today: today)))
            return try outcome.created(request, context)
        }
        api.get("/people/:id") { request, context in
            let detail = try await store.person(
                try context.parameters.require("id", as: Int64.self), for: try context.requireActor(), today: today,
                clock: services.clock)
            var response = try detail.response(from: request, context: context)
            response.headers[.eTag] = "\"\(detail.version)\""
            return response
        }
        api.post("/people/:id/amend") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.person(id, for: actor, today: today, clock: services.clock)
            let input = try await request.decodeInput(PersonForm.self, context: context)
            let outcome = try await commands.perform(
                actor, person: id, .amend(try input.draft(today: today)), expectedVersion: request.ifMatchVersion)
            return try outcome.edited(request, context)
        }
        api.post("/people/:id/move_out") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            _ = try await store.person(id, for: actor, today: today, clock: services.clock)
            let input = try await request.decodeInput(MoveOutInput.self, context: context)
            let outcome = try await commands.perform(
                actor, person: id, .moveOut(on: try input.day(today: today)), expectedVersion: request.ifMatchVersion)
            return try outcome.edited(request, context)
        }
        api.post("/people/:id/anonymise") { request, context in
            let outcome = try await commands.perform(
                try context.requireActor(), person: try context.parameters.require("id", as: Int64.self), .anonymise,
                expectedVersion: request.ifMatchVersion)
            return try outcome.edited(request, context)
        }
        api.post("/people/:id/reveal") { request, context in
            let actor = try context.requireActor()
            let id = try context.parameters.require("id", as: Int64.self)
            let input = try await request.decodeInput(RevealInput.self, context: context)
            let field = try input.revealField()
            let value = try await store.reveal(id, field, for: actor, reason: input.reason ?? "", clock: services.clock)
            return Revealed(field: field.rawValue, value: value)
        }
        api.get("/buildings/:id/houses") { _, context in
            Page(
                items: try await store.houses(
                    in: try context.parameters.require("id", as: Int64.self), for: try context.requireActor()),
                nextCursor: nil)
        }
        api.post("/buildings/:id/houses") { request, context in
            var input = try await request.decodeInput(HouseForm.self, context: context)
            input.building = "\(try context.parameters.require("id", as: Int64.self))"
            let house = try await commands.registerHouse(try context.requireActor(), try input.draft())
            return EditedResponse(status: .created, response: house)
        }
    }
}

extension PersonOutcome {
    func created(_ request: Request, _ context: AppRequestContext) throws -> Response {
        var response = try EditedResponse(status: .created, response: self).response(from: request, context: context)
        response.headers[.eTag] = "\"\(version)\""
        response.headers[.location] = "/api/v1/people/\(id)"
        return response
    }

    func edited(_ request: Request, _ context: AppRequestContext) throws -> Response {
        var response = try self.response(from: request, context: context)
        response.headers[.eTag] = "\"\(version)\""
        return response
    }
}
