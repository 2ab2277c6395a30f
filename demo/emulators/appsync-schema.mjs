// The AppSync emulator's GraphQL API, executed for real with `graphql`: `whoami` answers who the
// API authenticated (as the API Gateway emulator's answers do), `echo` and `addNote` give clients
// a query with variables and a mutation to send.
import { buildSchema } from 'graphql';

export const SCHEMA = buildSchema(/* GraphQL */ `
  type Caller {
    "API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS or AWS_LAMBDA"
    mode: String!
    "the Lambda authorizer's principal, the pool user's name, or the IAM caller's identity id"
    principal: String
    username: String
    identityId: String
    sub: String
    "IAM: guest or authenticated"
    role: String
    "user pools: access or id"
    tokenUse: String
  }
  type Note {
    id: ID!
    text: String!
    author: String
  }
  type Query {
    whoami: Caller!
    echo(text: String!): String!
    "the names of the request's headers, sorted"
    requestHeaders: [String!]!
  }
  type Mutation {
    addNote(text: String!): Note!
  }
`);

/** @typedef {{ caller: import('./appsync-auth.mjs').Caller, headerNames: string[] }} Context */

/** Root resolvers over this server's notes. */
export function createRoot() {
  let nextId = 1;
  return {
    whoami: (/** @type {unknown} */ _args, /** @type {Context} */ ctx) => ctx.caller,
    echo: (/** @type {{ text: string }} */ { text }) => text,
    requestHeaders: (/** @type {unknown} */ _args, /** @type {Context} */ ctx) => ctx.headerNames,
    addNote: (/** @type {{ text: string }} */ { text }, /** @type {Context} */ ctx) => ({
      id: String(nextId++),
      text,
      author: ctx.caller.principal ?? ctx.caller.mode,
    }),
  };
}
