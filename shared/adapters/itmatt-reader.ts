// Reads an ITMATT message with libxml2 (compiled to WebAssembly, so nothing native to build): one parse
// that loads no DTD, substitutes no entity and reads nothing from the network, validated against the
// published XSD (compiled once per process), then handed on as a plain element tree.
import { ParseOption, XmlDocument, XmlElement, XmlLibError, XsdValidator } from 'libxml2-wasm';
import type { FieldError } from '../domain/declaration/declaration.js';
import type { XmlNode } from '../domain/postal/itmatt.js';
import { ITMATT_XSD } from '../domain/postal/itmatt-xsd.js';
import type { ReadItmatt } from '../use-cases/ports/postal.js';

const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;
/** Errors reported for one message: the first ones say enough. */
const MAX_ERRORS = 20;

let validator: XsdValidator | undefined;
const schema = (): XsdValidator => {
  if (!validator) {
    const document = XmlDocument.fromString(ITMATT_XSD, { option: PARSE_OPTIONS });
    validator = XsdValidator.fromDoc(document);
  }
  return validator;
};

const NAMESPACE = /\{urn:[^}]*\}/g;
const ELEMENT = /Element '([A-Za-z]+)'/;

/**
 * The request path an error points at: `items.<n>` from the position of the `Item` in the XPath libxml2
 * reports (`/*\/*[3]/…`: the Header is the first child, items follow), then the element it names.
 */
const pathOf = (detail: { message: string; xpath?: string | undefined }): string => {
  const message = detail.message.replace(NAMESPACE, '');
  const element = ELEMENT.exec(message)?.[1];
  const position = /^\/\*\/\*\[(\d+)\]/.exec(detail.xpath ?? '')?.[1];
  const item = position !== undefined && Number(position) >= 2 ? `items.${Number(position) - 2}` : '';
  return [item, element].filter(Boolean).join('.') || '(body)';
};

const errorsOf = (error: XmlLibError): FieldError[] =>
  error.details.slice(0, MAX_ERRORS).map((detail) => ({
    path: pathOf(detail as { message: string; xpath?: string }),
    message: `line ${detail.line}: ${detail.message.replace(NAMESPACE, '').trim()}`,
  }));

/** The element tree; valid against the schema, so at most six levels deep. */
const toNode = (element: XmlElement): XmlNode => {
  const children: XmlNode[] = [];
  for (let node = element.firstChild; node; node = node.next) {
    if (node instanceof XmlElement) children.push(toNode(node));
  }
  return {
    name: element.name,
    attributes: Object.fromEntries(element.attrs.map((attribute) => [attribute.name, attribute.value])),
    children,
    text: children.length === 0 ? element.content : '',
  };
};

export const readItmatt: ReadItmatt = (xml) => {
  let document: XmlDocument;
  try {
    document = XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  } catch (error) {
    if (error instanceof XmlLibError) return { valid: false, wellFormed: false, errors: errorsOf(error) };
    throw error;
  }
  try {
    schema().validate(document);
    return { valid: true, root: toNode(document.root) };
  } catch (error) {
    if (error instanceof XmlLibError) return { valid: false, wellFormed: true, errors: errorsOf(error) };
    throw error;
  } finally {
    document.dispose();
  }
};
