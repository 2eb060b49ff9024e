import type { RequestStatus } from '#src/db/schema/index.ts';

/**
 * The request workflow: Waiting for support → In progress → Waiting for customer → Resolved / Closed.
 * Customers see a customer-visible name (Closed shows as Resolved, as several JSM statuses share one name).
 */
export interface Transition {
  id: string;
  name: string;
  to: RequestStatus;
  from: RequestStatus[];
  /** Customers may use it from the portal / customer API. */
  forCustomers: boolean;
}

export const TRANSITIONS: Transition[] = [
  {
    id: '11',
    name: 'Start progress',
    to: 'In progress',
    from: ['Waiting for support', 'Waiting for customer'],
    forCustomers: false,
  },
  {
    id: '21',
    name: 'Respond to customer',
    to: 'Waiting for customer',
    from: ['Waiting for support', 'In progress'],
    forCustomers: false,
  },
  {
    id: '31',
    name: 'Resolve this issue',
    to: 'Resolved',
    from: ['Waiting for support', 'In progress', 'Waiting for customer'],
    forCustomers: true,
  },
  { id: '41', name: 'Close', to: 'Closed', from: ['Resolved'], forCustomers: false },
  {
    id: '51',
    name: 'Reopen',
    to: 'Waiting for support',
    from: ['Resolved', 'Waiting for customer'],
    forCustomers: true,
  },
];

export const CUSTOMER_STATUS_NAME: Record<RequestStatus, string> = {
  'Waiting for support': 'Waiting for support',
  'In progress': 'In progress',
  'Waiting for customer': 'Waiting for customer',
  Resolved: 'Resolved',
  Closed: 'Resolved',
};

export const STATUS_CATEGORY: Record<RequestStatus, 'NEW' | 'INDETERMINATE' | 'DONE'> = {
  'Waiting for support': 'NEW',
  'In progress': 'INDETERMINATE',
  'Waiting for customer': 'INDETERMINATE',
  Resolved: 'DONE',
  Closed: 'DONE',
};

/** The transitions available from a status to an agent or a customer. */
export function availableTransitions(status: RequestStatus, role: 'agent' | 'customer'): Transition[] {
  return TRANSITIONS.filter((t) => t.from.includes(status) && (role === 'agent' || t.forCustomers));
}
