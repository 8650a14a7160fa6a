import Foundation
import GongzhiDomain
import Hummingbird

/// A number from a form field ("12", "" for none) or a JSON number alike, so one input type serves both.
struct LooseInt: Decodable, Sendable, Equatable {
    let value: Int64?
    init(_ value: Int64?) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = nil; return }
        if let n = try? c.decode(Int64.self) { value = n; return }
        let text = try c.decode(String.self).trimmingCharacters(in: .whitespaces)
        guard text.isEmpty || Int64(text) != nil else {
            throw DomainError.invalid("number_invalid", field: decoder.codingPath.last?.stringValue)
        }
        value = Int64(text)
    }
}

/// A yes/no from a checkbox or button ("1", "true", "on", absent) or a JSON boolean alike.
struct LooseBool: Decodable, Sendable, Equatable {
    let value: Bool
    init(_ value: Bool) { self.value = value }
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = false; return }
        if let b = try? c.decode(Bool.self) { value = b; return }
        value = ["1", "true", "on", "yes"].contains(try c.decode(String.self).lowercased())
    }
}

extension Form {
    /// Decodes the form's fields (one value each) as the same input type the JSON API decodes.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let object = values.compactMapValues { $0.first }
        let data = try JSONSerialization.data(withJSONObject: object)
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DomainError { throw error } catch
        {
            throw DomainError.invalid("form_malformed", field: Self.field(of: error))
        }
    }

    static func field(of error: any Error) -> String? {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): key.stringValue
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): c.codingPath.last?.stringValue
        default: nil
        }
    }
}

extension Request {
    /// Decodes a JSON body as a step's input; a body that does not fit answers 422 naming the field.
    func decodeInput<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        // A step without fields (close, accept) may be posted without a body.
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        if jsonHoldsNUL(data) { throw DomainError.invalid("text_nul") }
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DomainError { throw error } catch
        {
            throw DomainError.invalid("form_malformed", field: Form.field(of: error))
        }
    }
}
