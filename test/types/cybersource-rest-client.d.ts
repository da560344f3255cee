// The official SDK ships no types; the compatibility test drives it as plain JavaScript.
declare module 'cybersource-rest-client';
