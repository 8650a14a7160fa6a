import GongzhiDomain
import Testing

@Suite struct PhotoRulesTests {
    @Test func imagesAreRecognisedByTheirBytes() throws {
        #expect(try PhotoRules.contentType(of: [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]) == "image/jpeg")
        #expect(try PhotoRules.contentType(of: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == "image/png")
        #expect(try PhotoRules.contentType(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == "image/webp")
    }

    @Test func htmlSvgAndHugeFilesAreRefused() {
        #expect(throws: DomainError.invalid("photo_not_image", field: "photo")) {
            try PhotoRules.contentType(of: Array("<svg onload=alert(1)>".utf8))
        }
        #expect(throws: DomainError.invalid("photo_not_image", field: "photo")) {
            try PhotoRules.contentType(of: Array("<html>".utf8))
        }
        #expect(throws: DomainError.invalid("photo_too_large", field: "photo", args: ["5"])) {
            try PhotoRules.contentType(of: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: PhotoRules.maxBytes))
        }
        #expect(throws: DomainError.invalid("photo_empty", field: "photo")) { try PhotoRules.contentType(of: []) }
    }
}
