/** Which database engine a store runs on; the only place engine differences are named. */
export type Engine = 'sqlite' | 'postgres';
