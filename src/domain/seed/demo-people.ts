const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov'];

/** 50 distinct, readable demo customers for a site (`ada.lovelace@globex-customers.example`). */
export function demoCustomers(siteName: string): Array<{ email: string; displayName: string }> {
  const people: Array<{ email: string; displayName: string }> = [];
  for (const last of LAST) {
    for (const first of FIRST) {
      people.push({
        displayName: `${first} ${last}`,
        email: `${first}.${last}@${siteName}-customers.example`.toLowerCase(),
      });
    }
  }
  return people;
}

export const DEMO_PASSWORD = 'gatehouse-demo-2026';
