// Container ids and names, with Docker's rules: 64 hex ids whose 12-character short form is
// never all digits (it would read as a number), names matching [a-zA-Z0-9][a-zA-Z0-9_.-]+,
// and generated names "adjective_surname" as `docker run` without --name gives.
import crypto from 'node:crypto';
import { InvalidArgumentError } from '../../errors';

export function generateId(random: (n: number) => Buffer = crypto.randomBytes): string {
  for (;;) {
    const id = random(32).toString('hex');
    if (!/^\d{12}/.test(id)) return id;
  }
}

export const CONTAINER_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Validates and strips Docker's leading "/". */
export function normalizeName(name: string): string {
  if (!CONTAINER_NAME.test(name)) throw new InvalidArgumentError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.replace(/^\//, '');
}

const LEFT = ['admiring', 'bold', 'brave', 'busy', 'clever', 'dazzling', 'eager', 'elegant', 'festive', 'focused', 'gallant', 'happy', 'jolly', 'keen', 'lucid', 'modest', 'nifty', 'quirky', 'serene', 'sharp', 'stoic', 'tender', 'vibrant', 'wizardly', 'zealous'];
const RIGHT = ['babbage', 'bell', 'curie', 'darwin', 'dijkstra', 'einstein', 'euler', 'fermat', 'hopper', 'hypatia', 'kepler', 'knuth', 'lamarr', 'lovelace', 'meitner', 'newton', 'noether', 'pascal', 'ritchie', 'shannon', 'thompson', 'turing', 'wozniak', 'yalow', 'zuse'];

/** A free generated name; after a few collisions a digit is appended, as Docker does. */
export function generateName(taken: (name: string) => boolean, random: () => number = Math.random): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${LEFT[Math.floor(random() * LEFT.length)]}_${RIGHT[Math.floor(random() * RIGHT.length)]}`;
    const name = attempt < 3 ? base : `${base}${Math.floor(random() * 10)}${attempt > 20 ? attempt : ''}`;
    if (!taken(name)) return name;
  }
}
