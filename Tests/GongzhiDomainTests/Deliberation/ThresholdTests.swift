import Foundation
import GongzhiDomain
import Testing

@Suite struct ThresholdTests {
    @Test(arguments: [
        // "过半数" is strictly more than half: exactly half fails
        (5, 10, Threshold.moreThan(.half), false),
        (6, 10, .moreThan(.half), true),
        (50, 101, .moreThan(.half), false),
        (51, 101, .moreThan(.half), true),
        // "三分之二以上" includes 2/3 itself
        (2, 3, .atLeast(.twoThirds), true),
        (66, 100, .atLeast(.twoThirds), false),
        (67, 100, .atLeast(.twoThirds), true),
        (2, 3, .moreThan(.twoThirds), false),
        // "四分之三以上", "五分之四以上"
        (3, 4, .atLeast(.threeQuarters), true),
        (74, 100, .atLeast(.threeQuarters), false),
        (4, 5, .atLeast(.fourFifths), true),
        (79, 100, .atLeast(.fourFifths), false),
        // nobody present carries nothing, not even "at least"
        (0, 0, .atLeast(.twoThirds), false),
        (0, 0, .moreThan(.half), false),
    ])
    func thresholdsAreDecidedOnIntegers(part: Int64, whole: Int64, threshold: Threshold, met: Bool) {
        // given a share and a threshold
        // when
        let result = threshold.isMet(part, of: whole)
        // then
        #expect(result == met)
    }

    @Test func hugeAreasDoNotOverflow() {
        // given 10,000 parts of 1,000,000 m² each, in hundredths
        let whole: Int64 = 10_000 * 100_000_000
        // when / then
        #expect(Threshold.atLeast(.twoThirds).isMet(whole / 3 * 2 + 1, of: whole))
    }

    @Test(arguments: [
        (Threshold.moreThan(.half), Int64(10), Int64(6)),
        (.moreThan(.half), 9, 5),
        (.atLeast(.twoThirds), 9, 6),
        (.atLeast(.twoThirds), 10, 7),
        (.atLeast(.threeQuarters), 4, 3),
        (.atLeast(.whole), 12, 12),
    ])
    func theMinimumPartIsTheFirstThatMeetsTheThreshold(threshold: Threshold, whole: Int64, least: Int64) {
        // when
        let minimum = threshold.minimumPart(of: whole)
        // then
        #expect(minimum == least)
        #expect(threshold.isMet(least, of: whole))
        #expect(!threshold.isMet(least - 1, of: whole))
    }

    @Test func fractionsAreKeptInLowestTermsAndReadBack() throws {
        // given / when
        let f = try #require(Fraction(6, 9))
        // then
        #expect(f == .twoThirds)
        #expect(f.description == "2/3")
        #expect(Fraction("4/5") == .fourFifths)
        #expect(Fraction(1, 0) == nil)
        #expect(Fraction(-1, 2) == nil)
        #expect(Fraction.half < .twoThirds)
        let json = try JSONEncoder().encode(Threshold.atLeast(.twoThirds))
        #expect(try JSONDecoder().decode(Threshold.self, from: json) == .atLeast(.twoThirds))
    }

    @Test(arguments: [
        (Int64(621_050), Int64(900_000), "69.0%"),
        (71, 100, "71.0%"),
        (2, 3, "66.7%"),
        (1, 8, "12.5%"),
        (0, 5, "0.0%"),
        (1, 0, "–"),
    ])
    func percentagesAreForDisplayOnly(part: Int64, whole: Int64, text: String) {
        #expect(Fraction.percentText(part, of: whole) == text)
    }

    @Test(arguments: [
        ("6210.5", Int64(621_050), "6,210.5", "6210.50"),
        ("9,000", 900_000, "9,000", "9000.00"),
        ("89.25", 8925, "89.25", "89.25"),
        ("９０.２", 9020, "90.2", "90.20"),
        ("0.05", 5, "0.05", "0.05"),
        ("1234567.8", 123_456_780, "1,234,567.8", "1234567.80"),
    ])
    func areasAreExactHundredths(text: String, hundredths: Int64, formatted: String, stored: String) throws {
        // when
        let area = try #require(Area(text))
        // then
        #expect(area.hundredths == hundredths)
        #expect(area.formatted == formatted)
        #expect(area.description == stored)
    }

    @Test(arguments: ["", "-3", "1.234", "1.", ".5", "12a", "1.2.3"])
    func malformedAreasAreRefused(text: String) {
        #expect(Area(text) == nil)
    }

    @Test func aCheckCarriesItsArithmeticAndShortfall() {
        // given 6,210.5 of 9,000 m² and 71 of 100 heads against "at least 2/3"
        // when
        let area = ThresholdCheck(
            .participationArea, area: Area("6210.5")!, of: Area("9000")!, threshold: .atLeast(.twoThirds))
        let heads = ThresholdCheck(.participationHeads, part: 65, of: 100, threshold: .atLeast(.twoThirds))
        // then
        #expect(area.arithmetic == "6,210.5/9,000 m² = 69.0%")
        #expect(area.summary == "6,210.5/9,000 m² = 69.0% (≥ 2/3)")
        #expect(area.isMet)
        #expect(area.shortfall == 0)
        #expect(heads.arithmetic == "65/100 = 65.0%")
        #expect(!heads.isMet)
        #expect(heads.shortfall == 2)
        #expect(heads.share == Fraction(13, 20))
        #expect(heads.failureKey == "vote_participationHeads_short")
    }
}
