import { DEMO_OWNER_TOTP_SECRET } from '../db/seed';

/**
 * The owner login seeded into the test template database. Two-factor is on for the owner, with the
 * demo's fixed, documented TOTP secret (README "Demo users"); `signIn()` in the harness computes the code.
 */
export const TEST_OWNER = { email: 'owner@brokerdeck.test', password: 'test-owner-password' };
export const TEST_OWNER_TOTP_SECRET = DEMO_OWNER_TOTP_SECRET;

/** Every other demo login of the template (one per role) shares the owner's password. */
export const TEST_STAFF_PASSWORD = TEST_OWNER.password;
export const TEST_ADMIN = { email: 'admin@brokerdeck.test', password: TEST_STAFF_PASSWORD };
