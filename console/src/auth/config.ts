// How this stack signs staff in, from /console/config.json (set by the stack, not built in).
export type SignInConfig = { kind: 'local' } | { kind: 'cognito'; domain: string; clientId: string };

let loaded: Promise<SignInConfig> | undefined;

export const signInConfig = (): Promise<SignInConfig> => {
  loaded ??= fetch('/console/config.json')
    .then((response) => {
      if (!response.ok) throw new Error(`The console's configuration answered ${response.status}`);
      return response.json() as Promise<{ signIn: SignInConfig }>;
    })
    .then((config) => config.signIn);
  return loaded;
};
