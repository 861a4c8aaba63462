// Cases are taken from the Amazon EventBridge user guide ("Event patterns", "Matching null values and
// empty strings", "Arrays in event patterns", "Content filtering", "Comparison operators") and from
// the event-ruler README, the library EventBridge matches with. Each description names its source.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  type EventPattern,
  InvalidPatternError,
  matchesPattern,
  validatePattern,
} from '../../shared/lib/event-pattern.js';

interface MatchCase {
  doc: string;
  pattern: EventPattern;
  event: unknown;
  expected: boolean;
}

// "Event patterns": the EC2 state-change event.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

// "Matching null values and empty strings": the Auto Scaling event.
const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

// "Event patterns › Value matching": the (truncated) Macie alert.
const macieEvent = {
  source: 'aws.macie',
  'detail-type': 'Macie Alert',
  detail: {
    'notification-type': 'ALERT_CREATED',
    tags: ['Custom_Alert', 'Insider'],
    'risk-score': 80,
    trigger: { 'alert-type': 'basic', risk: 8 },
  },
};

// event-ruler README sample event, used by the content-filtering examples.
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const withDetail = (detail: Record<string, unknown>) => ({
  ...rulerEvent,
  detail: { ...rulerEvent.detail, ...detail },
});

const eventPatternCases: MatchCase[] = [
  {
    doc: '[Event patterns] EC2 instance-termination pattern matches the termination event',
    pattern: {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    event: ec2Event,
    expected: true,
  },
  {
    doc: '[Event patterns] EC2 instance-termination pattern ignores a running instance',
    pattern: { source: ['aws.ec2'], detail: { state: ['terminated'] } },
    event: { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } },
    expected: false,
  },
  {
    doc: '[Event patterns › Match values] source is aws.ec2 or aws.fargate (ec2)',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: ec2Event,
    expected: true,
  },
  {
    doc: '[Event patterns › Match values] source is aws.ec2 or aws.fargate (fargate)',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2Event, source: 'aws.fargate' },
    expected: true,
  },
  {
    doc: '[Event patterns › Match values] source is aws.ec2 or aws.fargate (lambda)',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: { ...ec2Event, source: 'aws.lambda' },
    expected: false,
  },
  {
    doc: '[Event patterns › Create] the event must contain every field named in the pattern',
    pattern: { source: ['aws.ec2'], detail: { reason: ['user'] } },
    event: ec2Event,
    expected: false,
  },
  {
    doc: '[Event patterns › Create] fields must appear with the same nesting (state is under detail)',
    pattern: { state: ['terminated'] },
    event: ec2Event,
    expected: false,
  },
  {
    doc: '[Event patterns › Create] fields not named in the pattern are ignored',
    pattern: { region: ['us-west-1'] },
    event: ec2Event,
    expected: true,
  },
  {
    doc: '[Event patterns › Field matching] responseElements is null',
    pattern: {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    },
    event: autoScalingEvent,
    expected: true,
  },
  {
    doc: '[Event patterns › Value matching] risk-score 80 and trigger risk 8',
    pattern: {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    },
    event: macieEvent,
    expected: true,
  },
  {
    doc: '[Event patterns › Value matching] a different trigger risk does not match',
    pattern: { detail: { 'risk-score': [80], trigger: { risk: [9] } } },
    event: macieEvent,
    expected: false,
  },
];

const nullAndEmptyCases: MatchCase[] = [
  {
    doc: '[Null values and empty strings] eventVersion is the empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: autoScalingEvent,
    expected: true,
  },
  {
    doc: '[Null values and empty strings] responseElements is null',
    pattern: { detail: { responseElements: [null] } },
    event: autoScalingEvent,
    expected: true,
  },
  {
    doc: '[Null values and empty strings] an empty-string pattern does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: autoScalingEvent,
    expected: false,
  },
  {
    doc: '[Null values and empty strings] a null pattern does not match the empty string',
    pattern: { detail: { eventVersion: [null] } },
    event: autoScalingEvent,
    expected: false,
  },
  {
    doc: '[Comparison operators › Null] "UserID": [null] needs the field to be present',
    pattern: { UserID: [null] },
    event: {},
    expected: false,
  },
  {
    doc: '[Comparison operators › Empty] "LastName": [""] matches an empty LastName',
    pattern: { LastName: [''] },
    event: { LastName: '' },
    expected: true,
  },
];

const typeCases: MatchCase[] = [
  {
    doc: '[Event patterns › values follow JSON rules] string "80" does not match number 80',
    pattern: { detail: { 'risk-score': ['80'] } },
    event: macieEvent,
    expected: false,
  },
  {
    doc: '[Event patterns › values follow JSON rules] number 5 does not match string "5"',
    pattern: { n: [5] },
    event: { n: '5' },
    expected: false,
  },
  {
    doc: '[Event patterns › values follow JSON rules] true matches boolean true',
    pattern: { flag: [true] },
    event: { flag: true },
    expected: true,
  },
  {
    doc: '[Event patterns › values follow JSON rules] true does not match the string "true"',
    pattern: { flag: [true] },
    event: { flag: 'true' },
    expected: false,
  },
  {
    doc: '[Event patterns › values follow JSON rules] false does not match 0',
    pattern: { flag: [false] },
    event: { flag: 0 },
    expected: false,
  },
  {
    doc: '[Event patterns › values follow JSON rules] null does not match the string "null"',
    pattern: { v: [null] },
    event: { v: 'null' },
    expected: false,
  },
  {
    doc: '[Event patterns] strings match character by character, without case folding',
    pattern: { source: ['AWS.EC2'] },
    event: ec2Event,
    expected: false,
  },
];

const arrayCases: MatchCase[] = [
  {
    doc: '[Arrays] pattern and event arrays intersect on the second event element',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    expected: true,
  },
  {
    doc: '[Arrays] disjoint pattern and event arrays do not match',
    pattern: { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    expected: false,
  },
  {
    doc: '[Arrays] an empty event array has nothing to intersect with',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    event: autoScalingEvent,
    expected: false,
  },
  {
    doc: '[Event patterns › Value matching] one of the Macie tags matches',
    pattern: { detail: { tags: ['Insider'] } },
    event: macieEvent,
    expected: true,
  },
  {
    doc: '[event-ruler README › JSON Array Matching] a field inside an array of objects',
    pattern: { employees: { firstName: ['Anna'] } },
    event: {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    },
    expected: true,
  },
  {
    doc: '[event-ruler README › JSON Array Matching] fields from different elements do not combine',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    event: {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    },
    expected: false,
  },
  {
    doc: '[event-ruler README › JSON Array Matching] fields from the same element combine',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    event: {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
      ],
    },
    expected: true,
  },
  {
    doc: '[event-ruler README › JSON Array Matching] multi-level arrays are crushed out',
    pattern: { employees: { firstName: ['Peter'] } },
    event: {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    },
    expected: true,
  },
  {
    doc: '[Event patterns › Create] a nested pattern does not match a scalar at that path',
    pattern: { detail: { state: ['terminated'] } },
    event: { detail: 'terminated' },
    expected: false,
  },
  {
    doc: '[Event patterns › Create] a leaf pattern does not match an object at that path',
    pattern: { detail: ['terminated'] },
    event: ec2Event,
    expected: false,
  },
];

const prefixSuffixCases: MatchCase[] = [
  {
    doc: '[Content filtering › Prefix matching] time starts with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: { time: '2017-10-02T18:43:48Z' },
    expected: true,
  },
  {
    doc: '[Content filtering › Prefix matching] a different day does not match',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: ec2Event,
    expected: false,
  },
  {
    doc: '[Content filtering › Prefix matching] prefix only applies to strings',
    pattern: { year: [{ prefix: '20' }] },
    event: { year: 2017 },
    expected: false,
  },
  {
    doc: '[Comparison operators › Begins with] Region is in the US',
    pattern: { Region: [{ prefix: 'us-' }] },
    event: { Region: 'us-east-1' },
    expected: true,
  },
  {
    doc: '[Content filtering › Prefix matching while ignoring case] EventB matches eventbridge',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: { detail: { service: 'eventbridge' } },
    expected: true,
  },
  {
    doc: '[Content filtering › Prefix matching while ignoring case] EventB matches EVENTBRIDGE',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: { detail: { service: 'EVENTBRIDGE' } },
    expected: true,
  },
  {
    doc: '[Content filtering › Prefix matching while ignoring case] EventB does not match Lambda',
    pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
    event: { detail: { service: 'Lambda' } },
    expected: false,
  },
  {
    doc: '[Content filtering › Suffix matching] FileName ends with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.png' },
    expected: true,
  },
  {
    doc: '[Content filtering › Suffix matching] .jpg does not end with .png',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.jpg' },
    expected: false,
  },
  {
    doc: '[Content filtering › Suffix matching] suffix is case-sensitive',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'image.PNG' },
    expected: false,
  },
  {
    doc: '[Content filtering › Suffix matching while ignoring case] .png matches .PNG',
    pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: { detail: { FileName: 'IMAGE.PNG' } },
    expected: true,
  },
  {
    doc: '[Comparison operators › Ends with (ignore case)] service ends with tbridge',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] },
    event: { service: 'EVENTBRIDGE' },
    expected: true,
  },
];

const equalsIgnoreCaseCases: MatchCase[] = [
  {
    doc: '[Content filtering › Equals-ignore-case matching] detail-type in lower case',
    pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    event: ec2Event,
    expected: true,
  },
  {
    doc: '[Comparison operators › Equals (ignore case)] Name alice matches ALICE',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'ALICE' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Equals (ignore case)] Name alice does not match Alicia',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'Alicia' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Equals-ignore-case] only works on string-valued fields',
    pattern: { code: [{ 'equals-ignore-case': '1' }] },
    event: { code: 1 },
    expected: false,
  },
  {
    doc: '[event-ruler › case folding] each character folds on its own: a dotted capital I is an i',
    pattern: { city: [{ 'equals-ignore-case': 'istanbul' }] },
    event: { city: 'İSTANBUL' },
    expected: true,
  },
  {
    doc: '[event-ruler › case folding] a final capital sigma folds to the medial sigma',
    pattern: { word: [{ 'equals-ignore-case': 'οδοσ' }] },
    event: { word: 'ΟΔΟΣ' },
    expected: true,
  },
  {
    doc: '[event-ruler › case folding] a prefix folds per character too',
    pattern: { city: [{ prefix: { 'equals-ignore-case': 'ist' } }] },
    event: { city: 'İstanbul' },
    expected: true,
  },
  {
    doc: '[event-ruler › case folding] anything-but folds per character',
    pattern: { word: [{ 'anything-but': { 'equals-ignore-case': 'οδοσ' } }] },
    event: { word: 'ΟΔΟΣ' },
    expected: false,
  },
];

const wildcardCases: MatchCase[] = [
  {
    doc: '[Comparison operators › Wildcard] a .png file within the folder dir',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'dir/image.png' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Wildcard] the wildcard spans path separators',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'dir/sub/image.png' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Wildcard] a .png file in another folder does not match',
    pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
    event: { FileName: 'other/image.png' },
    expected: false,
  },
  {
    doc: '[Content filtering › Wildcard matching] any account in us-east-1',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
    expected: true,
  },
  {
    doc: '[Content filtering › Wildcard matching] another region does not match',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Wildcard matching] Simple*Service matches SimpleQueueService',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleQueueService' },
    expected: true,
  },
  {
    doc: '[event-ruler README › Wildcard matching] a wildcard may match the empty string',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleService' },
    expected: true,
  },
  {
    doc: '[event-ruler README › Wildcard matching] the literal tail must be present',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleQueue' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Wildcard matching] an escaped \\* matches a literal asterisk',
    pattern: { name: [{ wildcard: 'a\\*b' }] },
    event: { name: 'a*b' },
    expected: true,
  },
  {
    doc: '[event-ruler README › Wildcard matching] an escaped \\* is not a wildcard',
    pattern: { name: [{ wildcard: 'a\\*b' }] },
    event: { name: 'axyb' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Wildcard matching] an escaped backslash matches a backslash',
    pattern: { path: [{ wildcard: 'C:\\\\*' }] },
    event: { path: 'C:\\Windows' },
    expected: true,
  },
  {
    doc: '[event-ruler README › Wildcard matching] overlapping segments are not double-counted',
    pattern: { v: [{ wildcard: 'ab*ba' }] },
    event: { v: 'aba' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Wildcard matching] only works on string-valued fields',
    pattern: { v: [{ wildcard: '*' }] },
    event: { v: 5 },
    expected: false,
  },
];

const anythingButCases: MatchCase[] = [
  {
    doc: '[Content filtering › Anything-but] state is anything but initializing (running)',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but] state is anything but initializing (initializing)',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: withDetail({ state: 'initializing' }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but] anything-but does not match a missing field',
    pattern: { detail: { status: [{ 'anything-but': 'initializing' }] } },
    event: rulerEvent,
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but] x-limit is anything but 123',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but] x-limit 123 is excluded',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: withDetail({ 'x-limit': 123 }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but] the number 123 does not exclude the string "123"',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: withDetail({ 'x-limit': '123' }),
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but] list of strings excludes stopped',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: withDetail({ state: 'stopped' }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but] list of strings lets running through',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but] list of numbers excludes 200',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: withDetail({ 'x-limit': 200 }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but] list of numbers lets 301.8 through',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Comparison operators › Not] Weather is anything but Raining',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    event: { Weather: 'Sunny' },
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but prefix] state without the prefix init',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but prefix] initializing has the prefix init',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: withDetail({ state: 'initializing' }),
    expected: false,
  },
  {
    doc: '[Comparison operators › Anything-but (begins with)] a list of prefixes',
    pattern: { Region: [{ 'anything-but': { prefix: ['us-', 'ca-'] } }] },
    event: { Region: 'ca-central-1' },
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but suffix] FileName does not end with .png',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    event: { detail: { FileName: 'image.jpg' } },
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but suffix] image.png is excluded',
    pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    event: { detail: { FileName: 'image.png' } },
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but ignoring case] INITIALIZING is excluded',
    pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
    event: withDetail({ state: 'INITIALIZING' }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but ignoring case] a list of values, any casing',
    pattern: {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
    },
    event: withDetail({ state: 'Stopped' }),
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but ignoring case] running is let through',
    pattern: {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
    },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but using a wildcard] a path including /lib/ is excluded',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { FilePath: '/usr/lib/libc.so' } },
    expected: false,
  },
  {
    doc: '[Content filtering › Anything-but using a wildcard] a path without /lib/ is let through',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: { detail: { FilePath: '/usr/bin/env' } },
    expected: true,
  },
  {
    doc: '[Content filtering › Anything-but using a wildcard] a list of wildcard patterns',
    pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
    event: { detail: { FilePath: '/usr/bin/env' } },
    expected: false,
  },
  {
    doc: '[Arrays + Anything-but] an event array whose only element is excluded does not match',
    pattern: { state: [{ 'anything-but': 'stopped' }] },
    event: { state: ['stopped'] },
    expected: false,
  },
  {
    doc: '[Arrays + Anything-but] any element that is not excluded is enough',
    pattern: { state: [{ 'anything-but': 'stopped' }] },
    event: { state: ['stopped', 'running'] },
    expected: true,
  },
  {
    doc: '[event-ruler › Anything-but prefix] a number is never excluded by a string prefix',
    pattern: { code: [{ 'anything-but': { prefix: '4' } }] },
    event: { code: 404 },
    expected: true,
  },
];

const numericCases: MatchCase[] = [
  {
    doc: '[Content filtering › Numeric matching] c-count, d-count and x-limit all hold',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Numeric matching] c-count 0 fails "> 0"',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: withDetail({ 'c-count': 0 }),
    expected: false,
  },
  {
    doc: '[Content filtering › Numeric matching] d-count 10 fails "< 10"',
    pattern: { detail: { 'd-count': [{ numeric: ['<', 10] }] } },
    event: withDetail({ 'd-count': 10 }),
    expected: false,
  },
  {
    doc: '[Content filtering › Numeric matching] works with JSON numbers only, not "5"',
    pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    event: withDetail({ 'c-count': '5' }),
    expected: false,
  },
  {
    doc: '[Comparison operators › Numeric (equals)] Price is 100',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: { Price: 100 },
    expected: true,
  },
  {
    doc: '[Comparison operators › Numeric (equals)] Price 100.5 is not 100',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    event: { Price: 100.5 },
    expected: false,
  },
  {
    doc: '[Comparison operators › Numeric (range)] Price 20 is within (10, 20]',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 20 },
    expected: true,
  },
  {
    doc: '[Comparison operators › Numeric (range)] Price 10 is outside (10, 20]',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    event: { Price: 10 },
    expected: false,
  },
  {
    doc: '[Content filtering › Numeric matching] ">=" includes its bound',
    pattern: { Price: [{ numeric: ['>=', 10] }] },
    event: { Price: 10 },
    expected: true,
  },
  {
    doc: '[Arrays + Numeric] any element inside the range is enough',
    pattern: { weights: [{ numeric: ['>', 10] }] },
    event: { weights: [1, 50] },
    expected: true,
  },
  {
    doc: '[Content filtering › Numeric matching] values beyond ±5.0e9 are not comparable',
    pattern: { value: [{ numeric: ['>', 0] }] },
    event: { value: 6e9 },
    expected: false,
  },
];

const cidrCases: MatchCase[] = [
  {
    doc: '[Content filtering › IP address matching] 10.0.0.255 is in 10.0.0.0/24',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.0.255' } },
    expected: true,
  },
  {
    doc: '[Content filtering › IP address matching] 10.0.1.1 is not in 10.0.0.0/24',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: '10.0.1.1' } },
    expected: false,
  },
  {
    doc: '[Content filtering › IP address matching] a host name is not an IP address',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: { detail: { sourceIPAddress: 'ec2.amazonaws.com' } },
    expected: false,
  },
  {
    doc: '[Content filtering › IP address matching] IPv6 address inside 2001:db8::/32',
    pattern: { ip: [{ cidr: '2001:db8::/32' }] },
    event: { ip: '2001:DB8:0:0:1::1' },
    expected: true,
  },
  {
    doc: '[Content filtering › IP address matching] IPv6 address outside 2001:db8::/32',
    pattern: { ip: [{ cidr: '2001:db8::/32' }] },
    event: { ip: '2001:db9::1' },
    expected: false,
  },
  {
    doc: '[Content filtering › IP address matching] an IPv4 address is not in an IPv6 block',
    pattern: { ip: [{ cidr: '::/0' }] },
    event: { ip: '10.0.0.1' },
    expected: false,
  },
  {
    doc: '[Content filtering › IP address matching] a /32 block holds exactly one address',
    pattern: { ip: [{ cidr: '192.168.1.7/32' }] },
    event: { ip: ['192.168.1.6', '192.168.1.7'] },
    expected: true,
  },
];

// The exists-false example event from the docs uses arrays as detail-type/resources values.
const existsDocEvent = {
  'detail-type': ['EC2 Instance State-change Notification'],
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
  detail: { state: ['initializing', 'running'] },
};

const existsCases: MatchCase[] = [
  {
    doc: '[Content filtering › Exists matching] detail.state exists',
    pattern: { detail: { state: [{ exists: true }] } },
    event: { ...ec2Event, detail: { 'instance-id': 'i-abcd1111', state: 'pending' } },
    expected: true,
  },
  {
    doc: '[Content filtering › Exists matching] no detail.state field',
    pattern: { detail: { state: [{ exists: true }] } },
    event: { ...existsDocEvent, detail: { 'c-count': { c1: 100 } } },
    expected: false,
  },
  {
    doc: '[Content filtering › Exists matching] detail.c-count does not exist',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: existsDocEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Exists matching] c-count is not a leaf node, so it does not exist',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: { ...existsDocEvent, detail: { ...existsDocEvent.detail, 'c-count': { c1: 100 } } },
    expected: true,
  },
  {
    doc: '[Content filtering › Exists matching] exists true does not match an intermediate node',
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: { detail: { 'c-count': { c1: 100 } } },
    expected: false,
  },
  {
    doc: '[Content filtering › Exists matching] exists false fails on a present leaf',
    pattern: { detail: { state: [{ exists: false }] } },
    event: existsDocEvent,
    expected: false,
  },
  {
    doc: '[Content filtering › Exists matching] exists false holds when the parent is missing',
    pattern: { detail: { state: [{ exists: false }] } },
    event: { source: 'aws.ec2' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Exists] ProductName exists',
    pattern: { ProductName: [{ exists: true }] },
    event: { ProductName: 'Widget' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Does not exist] ProductName does not exist',
    pattern: { ProductName: [{ exists: false }] },
    event: { Name: 'Widget' },
    expected: true,
  },
  {
    doc: '[Null values + Exists] a null value is present',
    pattern: { detail: { responseElements: [{ exists: true }] } },
    event: autoScalingEvent,
    expected: true,
  },
  {
    doc: '[Arrays + Exists] an empty array holds no leaf value, so exists is false',
    pattern: { resources: [{ exists: false }] },
    event: autoScalingEvent,
    expected: true,
  },
  {
    doc: '[Arrays + Exists] an empty array does not satisfy exists true',
    pattern: { resources: [{ exists: true }] },
    event: autoScalingEvent,
    expected: false,
  },
  {
    doc: '[Content filtering › Exists matching] exists combines with other values (OR)',
    pattern: { detail: { reason: [{ exists: false }, 'user'] } },
    event: { detail: { reason: 'user' } },
    expected: true,
  },
  {
    doc: '[Arrays + Exists] exists false through an array of objects fails when any element has the field',
    pattern: { items: { gtin: [{ exists: false }] } },
    event: { items: [{ gtin: '4006381333931' }, { description: 'socks' }] },
    expected: false,
  },
  {
    doc: '[Arrays + Exists] exists false through an array of objects holds when no element has the field',
    pattern: { items: { gtin: [{ exists: false }] } },
    event: { items: [{ description: 'shirt' }, { description: 'socks' }] },
    expected: true,
  },
  {
    doc: '[Arrays + Exists] exists false two levels down looks through every array on the way',
    pattern: { order: { lines: { gtin: [{ exists: false }] } } },
    event: { order: [{ lines: [{ description: 'shirt' }] }, { lines: [{ gtin: '1' }] }] },
    expected: false,
  },
  {
    doc: '[Arrays + Exists] exists false with another field still needs one element to match that field',
    pattern: { items: { gtin: [{ exists: false }], description: ['socks'] } },
    event: { items: [{ description: 'shirt' }, { description: 'socks' }] },
    expected: true,
  },
];

const orCases: MatchCase[] = [
  {
    doc: '[Comparison operators › Or (multiple fields)] Location is New York',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'New York', Day: 'Tuesday' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Or (multiple fields)] Day is Monday',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Monday' },
    expected: true,
  },
  {
    doc: '[Comparison operators › Or (multiple fields)] neither holds',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    event: { Location: 'Boston', Day: 'Tuesday' },
    expected: false,
  },
  {
    doc: '[Comparison operators › And] Location is New York and Day is Monday',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    event: { Location: 'New York', Day: 'Tuesday' },
    expected: false,
  },
  {
    doc: '[Content filtering › $or] source AND (metricName OR namespace)',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    event: { source: 'aws.cloudwatch', namespace: 'AWS/EC2' },
    expected: true,
  },
  {
    doc: '[Content filtering › $or] a sibling field still has to match',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    event: { source: 'aws.ec2', metricName: 'CPUUtilization' },
    expected: false,
  },
  {
    doc: '[Content filtering › $or] $or inside detail over numeric conditions',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: withDetail({ 'c-count': 10, 'd-count': 20 }),
    expected: true,
  },
  {
    doc: '[Content filtering › $or] no branch of the numeric $or holds',
    pattern: {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    event: withDetail({ 'c-count': 10, 'd-count': 20, 'x-limit': 1 }),
    expected: false,
  },
  {
    doc: '[event-ruler README › "Or" has an "And" inside] metricType and namespace together',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
    expected: true,
  },
  {
    doc: '[event-ruler README › Nested "Or" and "And"] the inner $or needs metricId or spaceId',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' },
    expected: false,
  },
  {
    doc: '[event-ruler README › Nested "Or" and "And"] spaceId satisfies the inner $or',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2', 'AWS/ES'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    },
    event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
    expected: true,
  },
  {
    doc: '[event-ruler README › Parallel "Or"] both $or groups must hold',
    pattern: {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    event: { metricName: 'ReadLatency', detail: { source: 'aws.ec2' } },
    expected: false,
  },
];

const complexCases: MatchCase[] = [
  {
    doc: '[Content filtering › Complex example] prefix, anything-but, numeric and cidr together',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    event: rulerEvent,
    expected: true,
  },
  {
    doc: '[Content filtering › Complex example] one failing field fails the whole pattern',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    },
    event: withDetail({ 'x-limit': 300 }),
    expected: false,
  },
];

describe('matchesPattern', () => {
  const tables: [string, MatchCase[]][] = [
    ['event patterns', eventPatternCases],
    ['null values and empty strings', nullAndEmptyCases],
    ['type-sensitive exact matching', typeCases],
    ['arrays and nested objects', arrayCases],
    ['prefix and suffix', prefixSuffixCases],
    ['equals-ignore-case', equalsIgnoreCaseCases],
    ['wildcard', wildcardCases],
    ['anything-but', anythingButCases],
    ['numeric', numericCases],
    ['cidr', cidrCases],
    ['exists', existsCases],
    ['$or', orCases],
    ['complex patterns', complexCases],
  ];

  for (const [name, cases] of tables) {
    describe(name, () => {
      it.each(cases)('$doc', ({ pattern, event, expected }) => {
        // Act
        const matched = matchesPattern(pattern, event);

        // Assess
        expect(matched).toBe(expected);
        expect(validatePattern(pattern)).toEqual({ ok: true });
      });
    });
  }

  it('treats a non-object event as having no fields', () => {
    expect(matchesPattern({ a: [{ exists: false }] }, null)).toBe(true);
    expect(matchesPattern({ a: ['x'] }, 'x')).toBe(false);
    expect(matchesPattern({ a: ['x'] }, [{ a: 'x' }])).toBe(false);
  });

  it('ignores inherited properties of the event object', () => {
    expect(matchesPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
    expect(matchesPattern({ toString: [{ exists: false }] }, {})).toBe(true);
  });

  it('reuses the compiled matcher for the same pattern object', () => {
    // Prepare
    const pattern = { source: ['clearway.nl'] };

    // Act
    const first = matchesPattern(pattern, { source: 'clearway.nl' });
    const second = matchesPattern(pattern, { source: 'clearway.de' });

    // Assess
    expect([first, second]).toEqual([true, false]);
  });

  it('throws InvalidPatternError for an invalid pattern', () => {
    expect(() => matchesPattern({ source: [] }, {})).toThrow(InvalidPatternError);
  });
});

interface InvalidCase {
  doc: string;
  pattern: unknown;
  mentions: string[];
}

const invalidCases: InvalidCase[] = [
  { doc: 'a string is not a pattern', pattern: 'aws.ec2', mentions: ['(root)', 'JSON object'] },
  {
    doc: 'an array is not a pattern',
    pattern: [{ source: ['aws.ec2'] }],
    mentions: ['(root)', 'JSON object'],
  },
  { doc: 'null is not a pattern', pattern: null, mentions: ['(root)', 'JSON object'] },
  { doc: 'an empty pattern', pattern: {}, mentions: ['(root)', 'empty objects'] },
  { doc: 'a leaf that is not an array', pattern: { source: 'aws.ec2' }, mentions: ['source:', 'array'] },
  {
    doc: 'a numeric leaf that is not an array',
    pattern: { detail: { count: 5 } },
    mentions: ['detail.count:'],
  },
  { doc: 'an empty array', pattern: { source: [] }, mentions: ['source:', 'empty arrays'] },
  { doc: 'an empty nested object', pattern: { detail: {} }, mentions: ['detail:', 'empty objects'] },
  {
    doc: 'a nested array in a value list',
    pattern: { source: [['aws.ec2']] },
    mentions: ['source:', 'nested arrays'],
  },
  {
    doc: 'a field pattern nested inside an array',
    pattern: { detail: [{ state: ['running'] }] },
    mentions: ['detail:', 'unknown operator "state"', 'nested field pattern'],
  },
  { doc: 'NaN is not JSON', pattern: { n: [Number.NaN] }, mentions: ['n:', 'not a JSON number'] },
  { doc: 'undefined is not a match value', pattern: { n: [undefined] }, mentions: ['n:', 'match values'] },
  {
    doc: 'an unknown operator',
    pattern: { source: [{ contains: 'ec2' }] },
    mentions: ['source:', '"contains"'],
  },
  {
    doc: 'an empty operator object',
    pattern: { source: [{}] },
    mentions: ['source:', 'empty match expression'],
  },
  {
    doc: 'two operators in one object',
    pattern: { source: [{ prefix: 'aws.', suffix: 'ec2' }] },
    mentions: ['source:', 'only one operator', '"prefix"', '"suffix"'],
  },
  {
    doc: 'prefix with a number',
    pattern: { source: [{ prefix: 5 }] },
    mentions: ['source:', '"prefix"', 'string'],
  },
  {
    doc: 'prefix with an unsupported modifier',
    pattern: { source: [{ prefix: { wildcard: 'aws*' } }] },
    mentions: ['source:', '"prefix"', 'equals-ignore-case'],
  },
  {
    doc: 'prefix equals-ignore-case with a number',
    pattern: { source: [{ prefix: { 'equals-ignore-case': 5 } }] },
    mentions: ['source:', 'prefix/equals-ignore-case'],
  },
  { doc: 'suffix with a list', pattern: { file: [{ suffix: ['.png'] }] }, mentions: ['file:', '"suffix"'] },
  {
    doc: 'equals-ignore-case with a list',
    pattern: { name: [{ 'equals-ignore-case': ['alice'] }] },
    mentions: ['name:', '"equals-ignore-case"'],
  },
  {
    doc: 'numeric with a string operand',
    pattern: { detail: { price: [{ numeric: ['>', '5'] }] } },
    mentions: ['detail.price: numeric operator ">" needs a number'],
  },
  {
    doc: 'numeric that is not an array',
    pattern: { price: [{ numeric: '> 5' }] },
    mentions: ['price:', '"numeric"'],
  },
  {
    doc: 'numeric with an empty array',
    pattern: { price: [{ numeric: [] }] },
    mentions: ['price:', '"numeric"'],
  },
  {
    doc: 'numeric with an unknown operator',
    pattern: { price: [{ numeric: ['!=', 5] }] },
    mentions: ['price:', 'unknown numeric operator "!="'],
  },
  {
    doc: 'numeric range starting with an upper bound',
    pattern: { price: [{ numeric: ['<', 5, '>', 0] }] },
    mentions: ['price:', '"<"', 'range must start'],
  },
  {
    doc: 'numeric with two lower bounds',
    pattern: { price: [{ numeric: ['>', 0, '>', 5] }] },
    mentions: ['price:', '"<" or "<="'],
  },
  {
    doc: 'numeric with more than two comparisons',
    pattern: { price: [{ numeric: ['>', 0, '<', 5, '<', 9] }] },
    mentions: ['price:', 'at most two comparisons'],
  },
  {
    doc: 'numeric range whose lower bound exceeds the upper',
    pattern: { price: [{ numeric: ['>', 10, '<', 5] }] },
    mentions: ['price:', 'lower bound 10', 'upper bound 5'],
  },
  {
    doc: 'numeric range missing its upper number',
    pattern: { price: [{ numeric: ['>', 0, '<'] }] },
    mentions: ['price:', 'numeric operator "<" needs a number'],
  },
  {
    doc: 'numeric beyond the supported range',
    pattern: { price: [{ numeric: ['>', 6e9] }] },
    mentions: ['price:', 'outside the supported range'],
  },
  {
    doc: 'numeric with more than six decimals',
    pattern: { price: [{ numeric: ['=', 0.1234567] }] },
    mentions: ['price:', 'decimal places'],
  },
  { doc: 'exists with a string', pattern: { state: [{ exists: 'true' }] }, mentions: ['state:', '"exists"'] },
  { doc: 'cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.0' }] }, mentions: ['ip:', 'invalid CIDR'] },
  {
    doc: 'cidr with a too-wide IPv4 mask',
    pattern: { ip: [{ cidr: '10.0.0.0/33' }] },
    mentions: ['ip:', 'IPv4'],
  },
  {
    doc: 'cidr with a bad octet',
    pattern: { ip: [{ cidr: '300.0.0.0/8' }] },
    mentions: ['ip:', 'invalid CIDR'],
  },
  {
    doc: 'cidr with a too-wide IPv6 mask',
    pattern: { ip: [{ cidr: '2001:db8::/129' }] },
    mentions: ['ip:', 'IPv6'],
  },
  { doc: 'cidr with a number', pattern: { ip: [{ cidr: 10 }] }, mentions: ['ip:', '"cidr"'] },
  {
    doc: 'anything-but with null',
    pattern: { state: [{ 'anything-but': null }] },
    mentions: ['state:', 'anything-but'],
  },
  {
    doc: 'anything-but with a boolean',
    pattern: { state: [{ 'anything-but': true }] },
    mentions: ['state:', 'anything-but'],
  },
  {
    doc: 'anything-but with an empty list',
    pattern: { state: [{ 'anything-but': [] }] },
    mentions: ['state:', 'non-empty'],
  },
  {
    doc: 'anything-but with a mixed list',
    pattern: { state: [{ 'anything-but': ['stopped', 1] }] },
    mentions: ['state:', 'only strings or only numbers'],
  },
  {
    doc: 'anything-but with null in its list',
    pattern: { state: [{ 'anything-but': ['stopped', null] }] },
    mentions: ['state:', 'strings or numbers'],
  },
  {
    doc: 'anything-but with an unsupported operator',
    pattern: { state: [{ 'anything-but': { numeric: ['>', 1] } }] },
    mentions: ['state:', 'unsupported anything-but operator "numeric"'],
  },
  {
    doc: 'anything-but with an empty prefix',
    pattern: { state: [{ 'anything-but': { prefix: '' } }] },
    mentions: ['state:', 'must not be empty'],
  },
  {
    doc: 'anything-but prefix with a number',
    pattern: { state: [{ 'anything-but': { prefix: 5 } }] },
    mentions: ['state:', 'anything-but "prefix"'],
  },
  {
    doc: 'anything-but with two operators',
    pattern: { state: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
    mentions: ['state:', 'exactly one'],
  },
  {
    doc: 'anything-but wildcard with consecutive wildcards',
    pattern: { path: [{ 'anything-but': { wildcard: '*/lib/**' } }] },
    mentions: ['path:', 'consecutive wildcard'],
  },
  {
    doc: 'anything-but with a number beyond the range',
    pattern: { limit: [{ 'anything-but': 6e9 }] },
    mentions: ['limit:', 'outside the supported range'],
  },
  {
    doc: 'wildcard with consecutive wildcards',
    pattern: { file: [{ wildcard: 'dir/**.png' }] },
    mentions: ['file:', 'consecutive wildcard'],
  },
  {
    doc: 'wildcard escaping a plain character',
    pattern: { file: [{ wildcard: 'dir\\a' }] },
    mentions: ['file:', 'invalid escape'],
  },
  {
    doc: 'wildcard ending in a lone backslash',
    pattern: { file: [{ wildcard: 'dir\\' }] },
    mentions: ['file:', 'escape'],
  },
  { doc: 'wildcard with a number', pattern: { file: [{ wildcard: 7 }] }, mentions: ['file:', '"wildcard"'] },
  { doc: '$or with one branch', pattern: { $or: [{ a: ['x'] }] }, mentions: ['$or:', 'at least 2'] },
  { doc: '$or that is an object', pattern: { $or: { a: ['x'] } }, mentions: ['$or:', 'array'] },
  {
    doc: '$or with a non-object branch',
    pattern: { $or: [{ a: ['x'] }, 'b'] },
    mentions: ['$or[1]:', 'pattern object'],
  },
  {
    doc: '$or with an empty branch',
    pattern: { $or: [{ a: ['x'] }, {}] },
    mentions: ['$or[1]:', 'empty objects'],
  },
  {
    doc: '$or branch using an operator name as a field',
    pattern: { $or: [{ prefix: ['x'] }, { b: ['y'] }] },
    mentions: ['$or[0].prefix:', 'reserved'],
  },
  {
    doc: 'an error deep inside $or names the full path',
    pattern: { detail: { $or: [{ price: [{ numeric: ['>', 'x'] }] }, { b: ['y'] }] } },
    mentions: ['detail.$or[0].price: numeric operator ">" needs a number'],
  },
];

describe('validatePattern', () => {
  it.each(invalidCases)('rejects $doc', ({ pattern, mentions }) => {
    // Act
    const result = validatePattern(pattern);

    // Assess
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    for (const mention of mentions) expect(reason).toContain(mention);
  });

  it('accepts operator names as ordinary field names outside $or', () => {
    expect(validatePattern({ detail: { prefix: ['x'], numeric: [1] } })).toEqual({ ok: true });
  });

  it('reports the same reason and path through compilePattern', () => {
    // Prepare
    const pattern = { detail: { price: [{ numeric: ['>', '5'] }] } };
    let thrown: unknown;

    // Act
    try {
      compilePattern(pattern);
    } catch (error) {
      thrown = error;
    }
    const result = validatePattern(pattern);

    // Assess
    expect(thrown).toBeInstanceOf(InvalidPatternError);
    const error = thrown as InvalidPatternError;
    expect(error.message).toBe('detail.price: numeric operator ">" needs a number, got "5"');
    expect(error.path).toBe('detail.price');
    expect(result).toEqual({ ok: false, reason: error.reason });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const fieldName = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { eventNode } = fc.letrec<{ eventNode: Record<string, unknown> }>((tie) => ({
  eventNode: fc.dictionary(
    fieldName,
    fc.oneof({ maxDepth: 3 }, scalar, fc.array(scalar, { maxLength: 4 }), tie('eventNode')),
    { maxKeys: 5 },
  ),
}));

// Every leaf value of the event, each as a one-value match list at its own path.
function patternFromLeaves(node: Record<string, unknown>): EventPattern | undefined {
  const pattern: EventPattern = {};
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      if (value.length > 0) pattern[key] = [value[value.length - 1]];
    } else if (typeof value === 'object' && value !== null) {
      const nested = patternFromLeaves(value as Record<string, unknown>);
      if (nested !== undefined) pattern[key] = nested;
    } else {
      pattern[key] = [value];
    }
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
}

// Exclusion operands EventBridge accepts: strings, or numbers within ±5e9 with ≤6 decimals.
const excludable = fc.oneof(fc.string(), fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }));

function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (char) => `\\${char}`);
}

describe('matchesPattern properties', () => {
  it('always matches an event with a pattern built from its own leaf values', () => {
    fc.assert(
      fc.property(eventNode, (event) => {
        const pattern = patternFromLeaves(event);
        fc.pre(pattern !== undefined);
        expect(compilePattern(pattern)(event)).toBe(true);
      }),
    );
  });

  it('never matches both [v] and anything-but [v] on the same scalar field', () => {
    fc.assert(
      fc.property(excludable, fc.oneof(excludable, scalar), fc.boolean(), (v, other, same) => {
        // Prepare
        const event = { field: same ? v : other };
        const exact = compilePattern({ field: [v] });
        const excluded = compilePattern({ field: [{ 'anything-but': [v] }] });

        // Act
        const both = [exact(event), excluded(event)];

        // Assess: a present scalar satisfies exactly one of the two
        expect(both.filter(Boolean)).toHaveLength(1);
        expect(exact({}) || excluded({})).toBe(false);
      }),
    );
  });

  it('agrees with arithmetic for a half-open numeric range', () => {
    const bound = fc.integer({ min: -1_000_000, max: 1_000_000 });
    fc.assert(
      fc.property(bound, bound, fc.integer({ min: -2_000_000, max: 2_000_000 }), (a, b, x) => {
        fc.pre(a < b);
        const inRange = compilePattern({ n: [{ numeric: ['>=', a, '<', b] }] });
        expect(inRange({ n: x })).toBe(a <= x && x < b);
        expect(inRange({ n: String(x) })).toBe(false);
      }),
    );
  });

  it('matches a string against its own escaped wildcard, and *text* finds it anywhere', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (text, other) => {
        const literal = compilePattern({ s: [{ wildcard: escapeWildcard(text) }] });
        // "**" is invalid, so an empty text becomes a single "*".
        const around = compilePattern({ s: [{ wildcard: text === '' ? '*' : `*${escapeWildcard(text)}*` }] });

        expect(literal({ s: text })).toBe(true);
        expect(literal({ s: other })).toBe(other === text);
        expect(around({ s: `${other}${text}${other}` })).toBe(true);
        expect(around({ s: other })).toBe(other.includes(text));
      }),
    );
  });
});
