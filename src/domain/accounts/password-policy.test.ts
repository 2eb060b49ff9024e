import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable } from './password-policy.ts';

const code = (password: string, email?: string) => {
  try {
    assertPasswordAcceptable(password, { email });
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('password policy', () => {
  it('accepts 12 to 256 characters without composition rules', () => {
    expect(code('all lowercase words here')).toBe('ok');
    expect(code('x'.repeat(12))).toBe('ok');
    expect(code('z'.repeat(256))).toBe('ok');
    expect(code('é'.repeat(12))).toBe('ok');
  });

  it('refuses too short, too long, common (any case) and the email itself', () => {
    expect(code('elevenchars')).toBe('auth.weak_password');
    expect(code('z'.repeat(257))).toBe('auth.weak_password');
    expect(code('QWERTY123456')).toBe('auth.weak_password');
    expect(code('qazwsxedcrfv')).toBe('auth.weak_password');
    expect(code('ann.example@mail.test', 'Ann.Example@mail.test')).toBe('auth.weak_password');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(code('😀'.repeat(11))).toBe('auth.weak_password');
    expect(code('😀'.repeat(12))).toBe('ok');
  });
});
