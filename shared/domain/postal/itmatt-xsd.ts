// The XSD of the ITMATT rendering Clearway accepts, served at GET /v1/postal/itmatt.xsd. docs/itmatt.xsd
// is the same text for a post's integration team (a test keeps the two equal).
export const ITMATT_XSD = `<?xml version="1.0" encoding="UTF-8"?>
<!--
  The ITMATT (UPU M33) rendering Clearway accepts at POST /v1/postal/itmatt, also served at
  GET /v1/postal/itmatt.xsd. It follows the ITMATT data groups as publicly described (item, sender,
  addressee, content pieces, category, charges); docs/postal-itmatt.md maps each element to the CN23
  field it fills. The schema fixes structure and sizes; the meaning of each value (S10 check digit,
  country and currency codes, HS codes, decimals) is checked item by item after it, so one bad item is
  refused on its own with the field named.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns="urn:clearway:itmatt:1"
           targetNamespace="urn:clearway:itmatt:1"
           elementFormDefault="qualified">

  <xs:simpleType name="Text64"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="64"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Text128"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="128"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Text256"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="256"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Text512"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="512"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="16"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Amount"><xs:restriction base="xs:string"><xs:maxLength value="32"/></xs:restriction></xs:simpleType>

  <xs:simpleType name="Category">
    <xs:restriction base="xs:string">
      <xs:enumeration value="SALE_OF_GOODS"/>
      <xs:enumeration value="GIFT"/>
      <xs:enumeration value="COMMERCIAL_SAMPLE"/>
      <xs:enumeration value="DOCUMENTS"/>
      <xs:enumeration value="RETURNED_GOODS"/>
      <xs:enumeration value="OTHER"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:simpleType name="RestrictionType">
    <xs:restriction base="xs:string">
      <xs:enumeration value="QUARANTINE"/>
      <xs:enumeration value="SANITARY"/>
      <xs:enumeration value="PHYTOSANITARY"/>
      <xs:enumeration value="OTHER"/>
    </xs:restriction>
  </xs:simpleType>

  <xs:complexType name="Address">
    <xs:sequence>
      <xs:element name="Line1" type="Text256"/>
      <xs:element name="Line2" type="Text256" minOccurs="0"/>
      <xs:element name="City" type="Text128"/>
      <xs:element name="Postcode" type="Text64" minOccurs="0"/>
      <xs:element name="Country" type="Code"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Party">
    <xs:sequence>
      <xs:element name="Name" type="Text256"/>
      <xs:element name="Address" type="Address"/>
      <xs:element name="Email" type="Text256" minOccurs="0"/>
      <xs:element name="Phone" type="Text64" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="ContentPiece">
    <xs:sequence>
      <xs:element name="Description" type="Text512"/>
      <xs:element name="Quantity" type="Code"/>
      <xs:element name="NetWeight" type="Amount"/>
      <xs:element name="Value" type="Amount"/>
      <xs:element name="HsCode" type="Code" minOccurs="0"/>
      <xs:element name="OriginCountry" type="Code" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Charges">
    <xs:sequence>
      <xs:element name="Postal" type="Amount" minOccurs="0"/>
      <xs:element name="Insurance" type="Amount" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Restriction">
    <xs:sequence>
      <xs:element name="Explanation" type="Text512" minOccurs="0"/>
    </xs:sequence>
    <xs:attribute name="type" type="RestrictionType" use="required"/>
  </xs:complexType>

  <xs:complexType name="Item">
    <xs:sequence>
      <xs:element name="ItemId" type="Code"/>
      <xs:element name="PostingDate" type="Code"/>
      <xs:element name="Sender" type="Party"/>
      <xs:element name="Addressee" type="Party"/>
      <xs:element name="ImporterReference" type="Text64" minOccurs="0"/>
      <xs:element name="Category" type="Category"/>
      <xs:element name="CategoryExplanation" type="Text512" minOccurs="0"/>
      <xs:element name="Currency" type="Code"/>
      <xs:element name="Charges" type="Charges" minOccurs="0"/>
      <xs:element name="ContentPiece" type="ContentPiece" maxOccurs="999"/>
      <xs:element name="Restriction" type="Restriction" minOccurs="0" maxOccurs="4"/>
      <xs:element name="LicenceNumber" type="Text64" minOccurs="0" maxOccurs="20"/>
      <xs:element name="CertificateNumber" type="Text64" minOccurs="0" maxOccurs="20"/>
      <xs:element name="InvoiceNumber" type="Text64" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:complexType name="Header">
    <xs:sequence>
      <xs:element name="MessageId" type="Text64"/>
      <xs:element name="Operator" type="Text64" minOccurs="0"/>
      <xs:element name="PreparedAt" type="xs:dateTime" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>

  <xs:element name="ITMATT">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Header" type="Header"/>
        <xs:element name="Item" type="Item" maxOccurs="1000"/>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" fixed="1"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
`;
