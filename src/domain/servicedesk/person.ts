/** A person as the service desk shows them (UserDTO material). */
export interface Person {
  siteUserId: string;
  /** The public id: the account id, or the portal-only customer's `qm:` id. */
  accountId: string;
  accountType: 'atlassian' | 'customer';
  displayName: string;
  emailAddress: string | null;
  active: boolean;
  timeZone: string;
}
