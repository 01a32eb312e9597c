/** The owner login seeded into the test template database. */
export const TEST_OWNER = { email: 'owner@brokerdeck.test', password: 'test-owner-password' };
