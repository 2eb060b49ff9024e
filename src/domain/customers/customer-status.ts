/** A portal customer's lifecycle states, as the schema stores them (the API's `status` filter takes these). */
export { CUSTOMER_STATUSES, type CustomerStatus } from '#src/db/schema/portal-customers.ts';
