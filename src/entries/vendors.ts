// `embed-dashboard/vendors`: registers the four built-in adapters as lazy chunks, without registering
// the element (for an app that defines the class under its own tag name).
import '../vendors/builtins.js';
