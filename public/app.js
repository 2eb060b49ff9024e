// Gatehouse: the little behaviour the pages need beyond HTML and htmx. Every page works without it.
(() => {
  const wide = window.matchMedia('(min-width: 761px)');

  // Row menus (•••) are native <details>. On a wide screen the open list is placed with `position: fixed` next to
  // its button, so a table's scroll box cannot clip it; one menu is open at a time; an outside click, Escape or
  // moving focus away closes it.
  const openMenus = () => document.querySelectorAll('details.row-menu[open]');
  function place(menu) {
    const list = menu.querySelector('ul');
    if (!list) return;
    if (!wide.matches) {
      list.style.position = list.style.top = list.style.left = '';
      return;
    }
    const button = menu.querySelector('summary').getBoundingClientRect();
    list.style.position = 'fixed';
    list.style.right = 'auto';
    const height = list.offsetHeight;
    const below = window.innerHeight - button.bottom;
    const top = below < height + 8 && button.top > height + 8 ? button.top - height - 4 : button.bottom + 4;
    list.style.top = `${Math.max(4, top)}px`;
    list.style.left = `${Math.max(4, Math.min(button.right - list.offsetWidth, window.innerWidth - list.offsetWidth - 4))}px`;
  }
  function close(menu, focusButton) {
    menu.open = false;
    if (focusButton) menu.querySelector('summary')?.focus();
  }
  document.addEventListener(
    'toggle',
    (event) => {
      const menu = event.target;
      if (!(menu instanceof HTMLDetailsElement) || !menu.classList.contains('row-menu') || !menu.open) return;
      for (const other of openMenus()) if (other !== menu) other.open = false;
      place(menu);
    },
    true,
  );
  document.addEventListener('click', (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) close(menu, false);
  });
  document.addEventListener('keydown', (event) => {
    const menu = event.target instanceof Element ? event.target.closest('details.row-menu[open]') : null;
    if (event.key === 'Escape') {
      const target = menu ?? openMenus()[0];
      if (target) {
        event.preventDefault();
        close(target, true);
      }
      return;
    }
    if (!menu || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    // Arrow keys move between the menu's items (Tab works too).
    const items = [...menu.querySelectorAll('li a, li button')];
    if (items.length === 0) return;
    event.preventDefault();
    const at = items.indexOf(document.activeElement);
    const next = event.key === 'ArrowDown' ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
    items[at === -1 ? 0 : next].focus();
  });
  document.addEventListener('focusout', (event) => {
    const menu = event.target instanceof Element ? event.target.closest('details.row-menu[open]') : null;
    if (menu && event.relatedTarget instanceof Node && !menu.contains(event.relatedTarget)) close(menu, false);
  });
  const replace = () => {
    for (const menu of openMenus()) place(menu);
  };
  window.addEventListener('scroll', replace, { passive: true, capture: true });
  window.addEventListener('resize', replace);

  // Bulk selection: "select all" ticks the page's boxes; the sticky bar shows how many are selected and its
  // submit button is disabled while none is.
  function updateBulk(form) {
    const boxes = [...form.querySelectorAll('input[type=checkbox][data-bulk-item]')];
    const selected = boxes.filter((box) => box.checked).length;
    const all = form.querySelector('input[data-bulk-all]');
    if (all) {
      all.checked = boxes.length > 0 && selected === boxes.length;
      all.indeterminate = selected > 0 && selected < boxes.length;
    }
    const count = form.querySelector('[data-bulk-count]');
    if (count) count.textContent = `${selected} selected`;
    for (const button of form.querySelectorAll('[data-bulk-submit]')) button.disabled = selected === 0;
  }
  document.addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.form) return;
    if (box.hasAttribute('data-bulk-all'))
      for (const item of box.form.querySelectorAll('input[data-bulk-item]')) item.checked = box.checked;
    if (box.hasAttribute('data-bulk-all') || box.hasAttribute('data-bulk-item')) updateBulk(box.form);
  });

  // A table wider than its box scrolls sideways; make that box reachable by keyboard (WCAG 2.1.1) and named.
  function scrollBoxes(root) {
    for (const box of root.querySelectorAll('.table-wrap')) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute('tabindex')) {
        box.setAttribute('tabindex', '0');
        box.setAttribute('role', 'region');
        const caption = box.querySelector('caption');
        box.setAttribute('aria-label', caption ? caption.textContent.trim() : 'Table');
      }
    }
  }
  // On a phone the section navigation is one scrolling line: bring the current page's link into view.
  function showCurrentSection() {
    const nav = document.querySelector('.side-nav');
    const current = nav?.querySelector('a[aria-current=page]');
    if (!nav || !current || wide.matches) return;
    nav.scrollLeft += current.getBoundingClientRect().left - nav.getBoundingClientRect().left - 16;
  }
  function init(root) {
    scrollBoxes(root);
    for (const form of root.querySelectorAll('form')) if (form.querySelector('[data-bulk-item]')) updateBulk(form);
  }
  // Live progress of a migration task: poll its small JSON every 750 ms, update the counts and the bar in place,
  // and once the task has ended put the finished section (each customer's result, the next steps) in its place,
  // read from the page itself: no navigation, so what the reader was on stays. Without JavaScript the page shows
  // the same numbers on every reload.
  async function showFinished(section) {
    try {
      const html = await (await fetch(window.location.href, { cache: 'no-store' })).text();
      const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(section.id);
      if (fresh) {
        section.replaceWith(fresh);
        init(fresh);
        return;
      }
    } catch {
      // Fall through to a plain reload.
    }
    window.location.reload();
  }
  function followProgress(section) {
    const url = section.getAttribute('data-progress-url');
    if (!url || section.dataset.following) return;
    section.dataset.following = 'yes';
    const set = (name, value) => {
      const el = section.querySelector(`[data-progress="${name}"]`);
      if (el && el.textContent !== String(value)) el.textContent = String(value);
    };
    const tick = async () => {
      try {
        const response = await fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' });
        if (!response.ok) return setTimeout(tick, 3000);
        const p = await response.json();
        for (const name of ['label', 'done', 'total', 'succeeded', 'failed', 'skipped']) set(name, p[name]);
        const bar = section.querySelector('[data-progress="bar"]');
        if (bar) {
          bar.max = p.total;
          bar.value = p.done;
          bar.textContent = `${p.done} of ${p.total}`;
        }
        if (!p.live) return showFinished(section);
      } catch {
        // A dropped request: try again a little later.
      }
      setTimeout(tick, 750);
    };
    setTimeout(tick, 750);
  }
  document.addEventListener('DOMContentLoaded', () => {
    init(document);
    showCurrentSection();
    for (const section of document.querySelectorAll('[data-progress-url]')) followProgress(section);
  });
  document.addEventListener('htmx:afterSettle', (event) => init(event.target));
})();
