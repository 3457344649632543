// Test-wide setup; the database part is added with the foundation.
export default async function setup(): Promise<void> {}
