import { describe, expect, it } from 'vitest';
import { matchRoute, routes } from '#api/routes.ts';
import { dashboardPathsFree, isDashboardRequest } from '#local/dashboard-assets.ts';

describe('the dashboard paths (GET / and /ui/*) beside the API routes', () => {
  it('shadow no API route: every route starts with a static segment other than ui', () => {
    expect(dashboardPathsFree(routes)).toBe(true);
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
      for (const path of ['/', '/ui/app.js', '/ui/app.css']) expect(matchRoute(method, path)).toBeUndefined();
  });

  it('would be refused if a route took them (the rule this test guards)', () => {
    expect(dashboardPathsFree([...routes, { path: '/ui/{asset}' }])).toBe(false);
    expect(dashboardPathsFree([...routes, { path: '/{anything}' }])).toBe(false);
    expect(dashboardPathsFree([...routes, { path: '/' }])).toBe(false);
  });

  it('answers only reads of / and /ui/*; every other request goes to the API', () => {
    expect(isDashboardRequest('GET', '/')).toBe(true);
    expect(isDashboardRequest('HEAD', '/ui/app.js')).toBe(true);
    expect(isDashboardRequest('POST', '/')).toBe(false);
    expect(isDashboardRequest('GET', '/uix')).toBe(false);
    expect(isDashboardRequest('GET', '/environments')).toBe(false);
  });
});
