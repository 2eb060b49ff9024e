import type { CustomerStatus } from '#src/db/schema/index.ts';

/** The name every surface shows for a deleted portal-only customer (reference F23). */
export const FORMER_USER_NAME = 'Former user (Deactivated)';

/** The status label an admin sees: Active, Deactivated (revoked), Migrating, Inactive (migrated), Deleted. */
export type CustomerStatusLabel = 'Active' | 'Deactivated' | 'Migrating' | 'Inactive' | 'Deleted';

export interface CustomerDisplay {
  /** The name to render wherever the customer is referenced (pickers, requests, comments, lists). */
  displayName: string;
  statusLabel: CustomerStatusLabel;
  /** Whether the customer can log in to the portal and be picked in user pickers. */
  active: boolean;
  /** Whether the email may be shown (erased on delete). */
  showEmail: boolean;
}

/**
 * How a portal-only customer is presented, by status, in ONE place (reference F22, F23, §3.9):
 * active → "Name"; revoked → "Name (Deactivated)"; migrating/migrated → "Name" with status Inactive
 * (migrated profiles stay as records); deleted → "Former user (Deactivated)".
 */
export function presentCustomerName(customer: {
  displayName: string;
  status: CustomerStatus;
}): CustomerDisplay {
  switch (customer.status) {
    case 'active':
      return { displayName: customer.displayName, statusLabel: 'Active', active: true, showEmail: true };
    case 'revoked':
      return {
        displayName: `${customer.displayName} (Deactivated)`,
        statusLabel: 'Deactivated',
        active: false,
        showEmail: true,
      };
    case 'migrating':
      return { displayName: customer.displayName, statusLabel: 'Migrating', active: false, showEmail: true };
    case 'migrated':
      return { displayName: customer.displayName, statusLabel: 'Inactive', active: false, showEmail: true };
    case 'deleted':
      return { displayName: FORMER_USER_NAME, statusLabel: 'Deleted', active: false, showEmail: false };
  }
}

/** Just the rendered name (for references: reporter, participant, comment author, approver). */
export function customerDisplayName(customer: { displayName: string; status: CustomerStatus }): string {
  return presentCustomerName(customer).displayName;
}
