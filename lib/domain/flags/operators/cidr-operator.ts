import ipaddr from 'ipaddr.js';
import type { Operator } from './operand.ts';
import { listOperand } from './operand.ts';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Dotted-quad IPv4 or IPv6 text, refusing the legacy IPv4 forms (`0x7f.1`, `127.1`) ipaddr.js accepts. */
export const parseAddress = (text: string): Address | undefined => {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
};

/** A range: `address/prefix`, or one address (a range of one). Undefined when it is neither. */
export const parseRange = (text: string): [Address, number] | undefined => {
  const [address = '', prefix, ...rest] = text.split('/');
  const parsed = parseAddress(address);
  if (parsed === undefined || rest.length > 0) return undefined;
  const bits = parsed.kind() === 'ipv4' ? 32 : 128;
  if (prefix === undefined) return [parsed, bits];
  const length = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  return length <= bits ? [parsed, length] : undefined;
};

/** IN_CIDR: the attribute is an address inside one of the ranges (IPv4 and IPv6 never mix). */
export const cidrOperator: Operator = (constraint, attribute) => {
  const address = attribute === undefined ? undefined : parseAddress(attribute);
  if (address === undefined) return false;
  return listOperand(constraint).some((text) => {
    const range = parseRange(text);
    return range !== undefined && range[0].kind() === address.kind() && address.match(range);
  });
};
