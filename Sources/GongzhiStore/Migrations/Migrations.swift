/// Every migration, in order. A new one gets the next number and a line here.
public enum Migrations {
    public static let all: [any Migration] = [
        Migration0001_CreateJurisdiction(),
        Migration0002_CreateAccounts(),
        Migration0003_CreateAuditLog(),
        Migration0004_AccountsAddSecondFactor(),
        Migration0005_CreateCases(),
        Migration0006_CasesAddEscalation(),
        Migration0007_CasesAddGrid(),
        Migration0008_CasesAddCoordinates(),
        Migration0009_CreateNotifications(),
        Migration0010_CreateMediation(),
        Migration0011_CasesAddSearch(),
        Migration0012_CreateIdempotencyKeys(),
        Migration0013_CasesAddGridSteps(),
        Migration0014_CasesAddExtension(),
        Migration0015_CreateCasePhotos(),
        Migration0016_CasesAddMergedInto(),
        Migration0017_NodesAddCoordinates(),
        Migration0018_CreateCaseSideTables(),
        Migration0019_CreateIdempotencyEntries(),
        Migration0020_TreeChangesCarryPlaces(),
        Migration0021_NotificationsAddSubject(),
        Migration0022_CategoriesAddOpen311(),
        Migration0023_AuditAddKeyAndCheckpoints(),
        Migration0025_UsersAddVersion(),
    ]
}
