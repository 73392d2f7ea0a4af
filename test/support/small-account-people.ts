/** The Slack side of fixtures.ts `smallAccount()`: Ana and Ben (matched to their Gtmhub users by email) and the admin. */
import { ADMIN } from './harness.js';

export const SMALL_ACCOUNT_PEOPLE = [
  { id: 'UANA00001', name: 'ana', realName: 'Ana Novak', email: 'ana@acme.example' },
  { id: 'UBEN00001', name: 'ben', realName: 'Ben Okafor', email: 'ben@acme.example' },
  { id: ADMIN, name: 'admin', realName: 'Ada Admin', email: 'admin@elsewhere.example' },
];
