/**
 * Alle teksten die een mens leest, in het Nederlands: dezelfde sleutels en parameters als en.ts
 * (`Catalogue`), dus een ontbrekende tekst is een typefout. De woorden volgen de helptekst waar dit
 * programma uit voortkomt: uitzonderingenlijst, bronsysteem, koppeling, Verwijderde gebruikers,
 * herstellen, reden, einddatum (zie docs/woordenlijst.md).
 */
import type { Catalogue, FileChange, JsonFound, ReaderTexts, RosterPart } from './en.js';
import { grouped } from './numbers.js';

const num = (n: number) => grouped(n, 'nl-NL');
const accounts = (n: number) => `${num(n)} ${n === 1 ? 'account' : 'accounts'}`;

// ---- de exportlezers (src/sources/): waarom een export ongeldig is, wat `sources check` vindt ---------

function kolomLijst(columns: readonly string[]): string {
  const shown = columns.slice(0, 40).map((h) => (h.trim() === '' ? '(leeg)' : h.trim()));
  return shown.join(', ') + (columns.length > 40 ? `, … (${num(columns.length)} kolommen)` : '');
}

function jsonGevonden(f: JsonFound): string {
  if (typeof f === 'object') return `"${f.char}"`;
  return { string: 'een tekst', array: 'een lijst', number: 'een getal', boolean: 'true/false', null: 'null' }[f];
}

function bestandsWijziging(c: FileChange): string {
  if (typeof c === 'object') return `de grootte veranderde van ${num(c.size[0])} naar ${num(c.size[1])} bytes`;
  return {
    replaced: 'het is vervangen door een ander bestand',
    folderReplaced: 'de map is vervangen door een andere map',
    modified: 'de wijzigingstijd veranderde',
    removed: 'het is verwijderd',
    removedOrUnreadable: 'het is verwijderd of niet meer leesbaar',
    unreadable: 'het is niet meer leesbaar',
    appeared: 'het verscheen in de map terwijl de export werd gelezen',
  }[c];
}

const ROSTER_DELEN: Record<RosterPart, string> = {
  schools: 'de scholen',
  sections: 'de lesgroepen',
  students: 'de leerlingen',
  teachers: 'de leerkrachten',
  studentSections: 'de lesgroepen van de leerlingen',
  teacherSections: 'de lesgroepen van de leerkrachten',
  users: 'de gebruikers',
  organisations: 'de organisaties',
  userOrganisations: 'de organisaties van de gebruikers',
  manifest: 'het OneRoster-manifest',
};

const SCHEIDINGSTEKENS: Record<string, string> = { ',': 'komma', ';': 'puntkomma', '\t': 'tab' };
const gebruikers = (n: number) => `${num(n)} ${n === 1 ? 'gebruiker' : 'gebruikers'}`;

const readerTexts: ReaderTexts = {
  readNoFile: () => 'het bestand bestaat niet',
  readNoPermission: () => 'het bestand kan niet gelezen worden (geen toestemming)',
  readIsFolder: (p) => `is een map, waar een bestand verwacht werd${p.reading ? ' (het bestand kan niet gelezen worden)' : ''}`,
  readCannotRead: (p) => `het bestand kan niet gelezen worden (${p.code})`,
  readCompressedDamaged: (p) => `de ingepakte gegevens zijn beschadigd (${p.detail})`,
  readNotRegular: () => 'is geen gewoon bestand',
  readNeitherFileNorFolder: () => 'is geen bestand en geen map',
  readIsFileNotFolder: () => 'is een bestand, waar een map met CSV-bestanden verwacht werd',
  readTwoFilesNamed: (p) => `twee bestanden met de naam ${p.name} (hoofdletters buiten beschouwing) in de map`,
  readChanged: (p) => `het bestand veranderde terwijl het gelezen werd (${bestandsWijziging(p.change)})`,
  readChangedHint: () => 'Wordt de export nog gedownload of geschreven? Wacht tot hij compleet is en probeer het opnieuw. Er is niets gewijzigd.',
  readFailed: (p) => `de export kon niet gelezen worden (${p.detail})`,
  readMoreProblems: (p) => `… en nog ${num(p.n)} problemen`,
  readNoRecords: (p) => `de export van bron "${p.source}" bevat geen personen`,
  readNoRecordsHint: (p) =>
    `Een lege export zou elk account van deze bron verwijderen; er is niets gewijzigd. Is hij echt leeg, start dan opnieuw met --allow-empty ${p.source}.`,

  readNulByte: () => 'het bestand bevat binaire gegevens (een NUL-byte): is het wel een tekstexport?',
  readSeparatorByte: (p) => `het bestand bevat het stuurteken 0x${p.byte} (een scheidingsteken voor gegevens), dat in geen naam, e-mailadres of id kan staan`,
  readBomButWindows1252: () => 'het bestand begint met een UTF-8-bytevolgordeteken (BOM), maar de bron staat op windows-1252',
  readBomButWindows1252Hint: () => 'Zet de tekencodering op utf-8 (`sources edit <name> --encoding utf-8`). Er is niets gewijzigd.',
  readUtf16: () => 'het bestand is UTF-16 ("Unicode-tekst"); sla het op als CSV UTF-8',
  readZipNotText: () => 'het bestand is een zip-bestand (een .xlsx-werkmap?), geen tekstexport; sla het op als CSV',
  readNotUtf8: () => 'het bestand is geen geldige UTF-8',
  readNotUtf8Hint: () =>
    'Is het bestand Windows-1252 (ANSI), geef dan `--encoding windows-1252`; exporteer het anders opnieuw als UTF-8. Er is niets gewijzigd.',
  readBrokenUtf8: (p) => {
    const fout = `bytes die geen UTF-8 zijn (regel ${num(p.badLine)})`;
    const utf8 = p.utf8Line === 0 ? 'begint met een UTF-8-bytevolgordeteken (BOM)' : `bevat UTF-8-tekst (regel ${num(p.utf8Line)})`;
    return p.badFirst
      ? `kapotte UTF-8: het bestand bevat ${fout}, maar ook UTF-8-tekst (regel ${num(p.utf8Line)})`
      : `kapotte UTF-8: het bestand ${utf8}, maar bevat ook ${fout}`;
  },
  readBomInMiddle: () => 'een bytevolgordeteken (U+FEFF) midden in het bestand: zijn er twee exports aan elkaar geplakt?',
  readUndefined1252: (p) =>
    `byte 0x${p.byte} heeft geen teken in Windows-1252 (het zou een onzichtbaar stuurteken worden): het bestand is geen geldige UTF-8 en ook geen Windows-1252`,
  readUndefined1252Hint: () =>
    'Exporteer het bestand opnieuw als UTF-8 (CSV UTF-8), of zoek uit welke tekencodering het exportprogramma schrijft. Er is niets gewijzigd.',
  readUtf8ButWindows1252: () => 'het bestand is geldige UTF-8, maar windows-1252 is ingesteld: letters als é kunnen verkeerd overkomen (geef --encoding utf-8)',

  readQuoteNotClosed: () => 'kapotte aanhalingstekens: een veld tussen aanhalingstekens dat hier begint, wordt nooit gesloten',
  readBadClosingQuote: () => 'kapotte aanhalingstekens: na een sluitend aanhalingsteken staat iets anders dan een scheidingsteken of het einde van de regel',
  readBadOpeningQuote: () => 'kapotte aanhalingstekens: een aanhalingsteken (") in een veld dat er niet mee begint',
  readRowTooLarge: (p) => `de regel is groter dan ${num(p.mb)} MB (kloppen de aanhalingstekens?)`,
  readTooManyFields: (p) => `de regel heeft meer dan ${num(p.max)} velden (klopt het scheidingsteken?)`,
  readFieldCount: (p) => `de regel heeft ${num(p.n)} velden, de kopregel ${num(p.width)}`,
  readNoHeader: () => 'het bestand is leeg: geen kopregel',
  readUnterminated: () => 'de laatste regel eindigt niet op een regeleinde: het bestand lijkt afgebroken (wordt het nog geschreven of gedownload?)',
  readUnterminatedHint: (p) =>
    `Er is niets gewijzigd. Wacht tot de export compleet is en probeer het opnieuw. Eindigt dit exportprogramma zijn bestanden altijd zonder regeleinde en is dit bestand zeker compleet, accepteer het dan voor één keer met \`basishub sync run --accept-unterminated ${p.source}\`.`,
  readCheckSettings: (p) =>
    `  ${p.format}${p.delimiter === null ? '' : `; scheidingsteken: ${SCHEIDINGSTEKENS[p.delimiter] ?? JSON.stringify(p.delimiter)}${p.delimiterDetected ? ' (herkend)' : ''}`}` +
    `${p.encoding === null ? '' : `; tekencodering: ${p.encoding}${p.bom ? ' met BOM' : ''}${p.encodingDetected ? ' (herkend)' : ''}`}`,
  readDelimiterDetected: (p) => `scheidingsteken herkend: ${SCHEIDINGSTEKENS[p.delimiter] ?? JSON.stringify(p.delimiter)}`,
  readEncodingDetected: (p) => `tekencodering herkend: ${p.encoding}${p.bom ? ' (met BOM)' : ''}`,
  readColumnsNotUsed: (p) => `kolommen die niet gebruikt worden: ${kolomLijst(p.columns)}`,
  readDuplicateColumn: (p) => `dubbele kolom: "${p.column}" (kolom ${num(p.at)}) en "${p.other}" (kolom ${num(p.otherAt)}) hebben dezelfde naam`,
  readNoMappedColumn: (p) =>
    `${p.unmapped.map((m) => `geen kolom "${m.column}" (gekoppeld aan ${m.field})`).join(', ')}; de kolommen zijn: ${kolomLijst(p.columns)}`,
  readNoMappedColumnHint: () => 'Verbeter de koppeling met `sources edit <name> --map <field>=<column>`, of herstel de export. Er is niets gewijzigd.',
  readNoExternalIdColumn: (p) => `geen kolom voor externalId; de kolommen zijn: ${kolomLijst(p.columns)}`,
  readNoExternalIdColumnHint: () => 'Noem de kolom die een persoon aanwijst met `--map externalId=<column>`. Er is niets gewijzigd.',
  readNoColumns: (p) => `geen kolom ${p.missing.map((c) => `"${c}"`).join(', ')}; de kolommen zijn: ${kolomLijst(p.columns)}`,
  readBadDate: (p) => `${p.field} "${p.value}" is geen geldige datum (verwacht: ${p.format ?? 'JJJJ-MM-DD, dd-mm-jjjj of jjjjMMdd'})`,
  readDateFormatToken: (p) => `datumnotatie "${p.format}": "${p.token}" wordt niet begrepen`,
  readDateFormatTokenHint: () => 'Gebruik yyyy, mm (of m) en dd (of d), in hoofd- of kleine letters, bijvoorbeeld dd-mm-yyyy; HH:mm voor een tijd.',
  readDateFormatParts: (p) => `datumnotatie "${p.format}" moet jaar (yyyy), maand (mm) en dag (dd) elk één keer bevatten`,

  readNoExternalId: () => 'de regel heeft geen externalId (de aanduiding van de persoon in de bron)',
  readBadRole: (p) => `rol "${p.role}" is geen staff en geen student`,
  readOtherDetails: (p) =>
    `externalId ${p.id} komt opnieuw voor, met andere persoonsgegevens dan op ${p.file === null ? `regel ${num(p.line)}` : `${p.file}:${p.line}`}`,
  readOtherDetailsHint: () => 'De regels van één persoon mogen alleen in organisatie en groep verschillen. Er is niets gewijzigd.',
  readTooManyRelations: (p) => `externalId ${p.id} heeft meer dan ${num(p.max)} relaties (organisaties en groepen): is de export kapot?`,

  readJsonStart: (p) => `geen JSON-lijst en geen JSON-objecten één per regel: het bestand begint met ${jsonGevonden(p.found)}`,
  readJsonExpectedComma: (p) => `ongeldige JSON: na het object hoort "," of "]", maar er staat ${jsonGevonden(p.found)}`,
  readJsonCommaBeforeEnd: () => 'ongeldige JSON: een komma vóór "]"',
  readJsonElementNotObject: (p) => `een element van de lijst is geen object (een persoon): het is ${jsonGevonden(p.found)}`,
  readJsonExpectedObject: (p) => `aan het begin van de regel hoort een object ({…}), maar er staat ${jsonGevonden(p.found)}`,
  readJsonAfterEnd: (p) => `ongeldige JSON: ${jsonGevonden(p.found)} na het einde van de lijst`,
  readJsonObjectTooLarge: () => 'het object dat hier begint is groter dan 1 MB (is de JSON kapot?)',
  readJsonObjectNotClosed: () => 'afgebroken JSON: het object dat hier begint, wordt niet gesloten',
  readJsonEmpty: () => 'het bestand is leeg: verwacht werd een JSON-lijst of JSON-objecten één per regel',
  readJsonArrayNotClosed: () => 'afgebroken JSON: de lijst wordt niet gesloten met "]"',
  // JSON.parse's own words are English: its most common one is said in Dutch, the others are left out.
  readJsonInvalid: (p) => {
    const token = /^Unexpected token '(.+?)', (.*) is not valid JSON/.exec(p.detail);
    return token === null ? 'ongeldige JSON: dit object kan niet gelezen worden' : `ongeldige JSON: onverwacht teken '${token[1]}' in ${token[2]}`;
  },
  readJsonNotPerson: () => 'het element is geen object (een persoon)',
  readJsonNumberTooLarge: (p) => `"${p.key}" bevat een getal dat te groot is om precies te lezen`,
  readJsonAsString: () => 'Schrijf het als tekst ("…"). Er is niets gewijzigd.',
  readJsonIdNotExact: (p) => `"${p.key}" bevat het getal ${p.value}, dat geen geheel getal is dat precies gelezen kan worden (hoogstens ${p.max})`,
  readJsonIdNotExactHint: () =>
    'Zulke grote aanduidingen moeten als tekst geschreven worden ("12345678901234567890"), anders gaan er cijfers verloren. Er is niets gewijzigd.',
  readJsonNotText: (p) => `"${p.key}" bevat ${p.list ? 'een lijst' : 'een object'}, waar tekst verwacht werd`,
  readJsonTwoKeys: (p) => `twee sleutels van het object geven ${p.field} (een ervan is "${p.key}")`,
  readJsonNul: () => 'een tekst bevat \\u0000 (een NUL-teken): is het wel een tekstexport?',
  readJsonSeparator: (p) => `een tekst bevat \\${p.escape} (een scheidingsteken voor gegevens), dat in geen naam, e-mailadres of id kan staan`,
  readJsonDuplicateKey: (p) => `de sleutel "${p.key}" staat twee keer in één object (welke waarde is bedoeld?)`,
  readJsonNoPerson: (p) =>
    `het object bevat geen persoon: het heeft geen sleutel voor externalId${p.mapped ? ` ("${p.mapped}")` : ''}` +
    (p.wrapped ? `; de sleutel "${p.wrapped}" bevat een lijst: een export moet zelf die lijst zijn` : ''),
  readJsonRelationsNotList: () => '"relations" is geen lijst',
  readJsonRelationNotObject: () => 'een element van "relations" is geen object',
  readJsonEncodingIgnored: () => 'tekencodering windows-1252 wordt genegeerd: JSON wordt als UTF-8 gelezen',
  readJsonKeyAbsent: (p) => `geen enkel object heeft de sleutel "${p.key}" (gekoppeld aan ${p.field})`,
  readJsonKeysNotUsed: (p) => `sleutels die niet gebruikt worden: ${p.keys.join(', ')}`,

  readMissingFile: (p) => `geen ${p.name} in de export (${ROSTER_DELEN[p.part]}); de bestanden zijn: ${p.files.join(', ') || 'geen'}`,
  readTooManyMemberships: (p) => `${p.person} is lid van meer dan ${num(p.max)} groepen (klassen, lesgroepen, rollen): is de export kapot?`,
  readSchoolTwice: (p) => `school-SIS ID ${p.id} komt twee keer voor`,
  readNotInFile: (p) => `${p.column} ${p.id} staat niet in ${p.file}`,
  readOrgNotInOrgs: (p) => `organisatie ${p.id} staat niet in orgs.csv`,
  readMapIgnored: (p) => `--map wordt genegeerd: ${p.format} heeft vaste kolomnamen`,
  readSectionsInactive: (p) => `${num(p.n)} ${p.n === 1 ? 'lesgroep' : 'lesgroepen'} zonder status Active overgeslagen`,
  readPeopleNotActive: (p) => `${num(p.n)} ${p.n === 1 ? 'persoon heeft' : 'personen hebben'} niet de status Active (geen relatie)`,
  readSectionStrangers: (p) => `lesgroepen noemen ${num(p.n)} SIS ${p.n === 1 ? 'ID dat' : "ID's die"} in Student.csv noch in Teacher.csv staan`,
  readNoClasses: () => 'geen classes.csv of enrollments.csv: geen groepen',
  readUsersWithoutRole: (p) => `${gebruikers(p.n)} zonder rol als leerling of medewerker (ouders, verzorgers) overgeslagen`,
  readRolesUnknown: (p) => `onbekende rollen, overgeslagen: ${p.roles.join(', ')}`,
  readOneRosterVersion: (p) => `oneroster.version is ${p.version}; deze bron leest OneRoster 1.1`,
  readManifestMode: (p) => `file.${p.name} is "${p.value}": verwacht bulk, delta of absent`,
  readManifestFileMissing: (p) => `volgens manifest.csv is file.${p.name} ${p.mode}, maar er is geen ${p.name}.csv`,
  readNoUsers: () => 'file.users is absent: de export bevat geen gebruikers',
  readManifestSilent: (p) => `manifest.csv noemt file.${p.name} niet: gelezen als bulk`,
  readUsersDisabled: (p) => `${gebruikers(p.n)} met enabledUser false (geen relatie)`,
  readUsersToBeDeleted: (p) => `${gebruikers(p.n)} met status \`tobedeleted\` (te verwijderen; geen relatie)`,
  readNamedById: (p) => `niet in deze export, genoemd naar hun sourcedId: ${p.ids.join(', ')}`,
  readEnrollmentStrangers: (p) =>
    p.delta
      ? `inschrijvingen van ${gebruikers(p.n)} die niet in de users.csv van deze delta staan: hun groepen veranderen bij de volgende volledige export`
      : `inschrijvingen van ${gebruikers(p.n)} die niet in users.csv staan`,
  readZipTwice: (p) => `het zip-bestand bevat ${p.name} twee keer (${p.entry})`,
  readZipBomb: (p) =>
    `${p.name} in het zip-bestand zou ${num(p.ratio)} keer zo groot worden (${num(p.compressed)} naar ${num(p.size)} bytes; hoogstens ${num(p.max)} keer wordt gelezen): is het een zip-bom?`,
  readZipTooLarge: (p) => `de bestanden in het zip-bestand zijn samen groter dan ${num(p.mb)} MB, wat basishub niet leest; pak het uit en geef de map`,
  readZipNoEnd: () => 'geen zip-bestand (de centrale inhoudsopgave ontbreekt): is het bestand compleet?',
  readZip64: () => 'een ZIP64-bestand, dat basishub niet leest; pak het uit en geef de map',
  readZipTruncated: (p) => `het zip-bestand is afgebroken${p.name === null ? '' : ` (${p.name})`}`,
  readZipDamaged: (p) => `het zip-bestand is beschadigd (${p.name === null ? 'centrale inhoudsopgave' : `lokale kop van ${p.name}`})`,
  readZipEncrypted: (p) => `${p.name} in het zip-bestand is versleuteld`,
  readZipMethod: (p) => `${p.name} in het zip-bestand gebruikt compressiemethode ${p.method} (alleen stored en deflate worden gelezen)`,
  readZipEntryTooLong: () => 'het bestand in het zip-bestand bevat meer bytes dan de inhoudsopgave zegt',
  readZipEntryDamaged: () => 'het bestand in het zip-bestand is beschadigd (grootte of CRC-32 klopt niet)',
};

/**
 * The Dutch catalogue, made when a run first reads Dutch (index.ts): an English run, and every script's
 * `--json`, never evaluates its 800 texts, which every start paid for before.
 */
export const nl = madeOnce(() => ({
  ...readerTexts,
  errorLabel: () => 'Fout',
  unexpected: (p) => `Onverwachte fout: ${p.message}`,
  bugHint: () => 'Dit is een fout in basishub; start opnieuw met BASISHUB_DEBUG=1 om de stacktrace te zien.',
  progressRecords: (p) => `${p.phase}… ${p.done} regels`,
  phaseReading: (p) => `${p.source} inlezen`,
  phasePlanning: () => 'plannen',
  phaseApplying: () => 'doorvoeren',
  phaseIndexing: () => 'indexeren',
  phaseReverting: () => 'terugdraaien',
  phaseBackingUp: () => 'reservekopie maken',
  interrupted: () => 'Onderbroken; er is niets gewijzigd.',
  cancelled: () => 'Geannuleerd; er is niets gewijzigd.',

  badLang: (p) => `--lang moet nl of en zijn, niet "${p.value}".`,
  badLangHint: () => 'Geef --lang nl (Nederlands) of --lang en (English).',
  usageHint: () => 'Zie `basishub --help` of `basishub <opdracht> --help`.',
  hubBusy: () => 'De hub is bezet: er schrijft een synchronisatie in. Er is niets gewijzigd.',
  hubBusyHint: () => 'Probeer het opnieuw als de synchronisatie klaar is (zie `basishub sync history`).',
  wholeNumber: (p) => `${p.flag} moet een geheel getal zijn${p.min === 0 ? ', 0 of meer' : ` van minstens ${num(p.min)}`}, hoogstens ${num(p.max)}.`,
  contradict: (p) => `${p.flags.join(' en ')} spreken elkaar tegen.`,
  passOne: () => 'Geef er één van.',
  noCommand: (p) => `Er is geen opdracht "${p.words}".`,
  noCommandHint: () => 'Bekijk de opdrachten met `basishub help`.',
  jsonNeedsCommand: () => 'Welke opdracht? Met --json staat op stdout één JSON-document, dus een opdracht zonder zijn subopdracht toont daar geen hulp.',
  noCompletion: (p) => `Geen aanvulscript voor "${p.shell}".`,
  passOneOf: (p) => `Kies uit: ${p.values}.`,

  helpTitle: (p) =>
    ({
      'Usage:': 'Gebruik:',
      'Options:': 'Opties:',
      'Commands:': 'Opdrachten:',
      'Arguments:': 'Argumenten:',
      'Global Options:': 'Algemene opties:',
      '[options]': '[opties]',
      '[command]': '[opdracht]',
    })[p.title] ?? p.title,
  helpOption: () => 'toon de hulp bij deze opdracht',
  versionOption: () => 'toon het versienummer',
  helpDefault: (p) => `standaard: ${p.value}`,
  helpExamples: () => 'Voorbeelden:',
  helpRules: (p) => `De regelnummers in meldingen (R1–R18) worden uitgelegd in ${p.file}.`,
  programDescription: () => 'Houdt de accounts van een schoolstichting gelijk met de bronsystemen, en beschermt de accounts die moeten blijven.',
  optDb: () => 'het databasebestand (anders env BASISHUB_DB, anders ./basishub.db)',
  optJson: () => 'uitvoer voor scripts: precies één JSON-document op stdout; geen kleur, vragen of voortgang',
  optActor: () => 'wie het doet, voor het logboek (anders env BASISHUB_ACTOR, anders de gebruiker van het systeem)',
  optNoInput: () => 'nooit iets vragen; een ontbrekende waarde is een gebruiksfout (vanzelf zonder terminal en met --json)',
  optYes: () => 'beantwoord elke bevestiging met ja',
  optNoColor: () => 'geen kleur (ook met NO_COLOR of als de uitvoer geen terminal is)',
  optLang: () => 'de taal die mensen lezen: nl of en (anders env BASISHUB_LANG, anders LANG die met nl begint → Nederlands)',
  cmdHelp: () => 'hulp bij een opdracht, bijvoorbeeld `basishub help exceptions add`',
  cmdCompletion: () => 'toon een aanvulscript voor de shell: bash, zsh of fish (installeren: zie de handleiding)',
  commands: () => ({
    init: 'maak de hub aan (het databasebestand, alleen leesbaar voor jou)',
    sources: 'de bronsystemen en hun exportbestanden',
    'sources add': 'registreer een bronsysteem en zijn exportbestand',
    'sources list': 'de geregistreerde bronsystemen',
    'sources show': 'één bronsysteem: instellingen, koppelingen en wat er nu in de export staat',
    'sources edit': 'wijzig de instellingen van een bronsysteem',
    'sources remove': 'verwijder een bronsysteem (geweigerd zolang er accounts aan gekoppeld zijn, tenzij --force)',
    'sources check': 'lees de exports zonder te synchroniseren: regels, relaties, herkende instellingen, problemen',
    sync: 'breng de hub in lijn met de bronsystemen, en de geschiedenis daarvan',
    'sync run': 'synchroniseer alle bronsystemen (R1–R5, R11, R12, R14), veilig: zie de veiligheidsopties',
    'sync history': 'eerdere synchronisaties: wanneer, door wie, bestanden en hun controlegetallen, aantallen',
    'sync show': 'één synchronisatie: bestanden, aantallen en elke wijziging',
    'sync revert': 'draai één synchronisatie terug (R18)',
    exceptions: 'de uitzonderingenlijst (importuitzonderingen): accounts die een synchronisatie nooit verwijdert',
    'exceptions add': 'zet een account op de lijst (R6, R9); in een terminal wordt gevraagd wat ontbreekt',
    'exceptions list': 'de lijst: reden, toegevoegd door en wanneer, dagen op de lijst, of een bron het aanbiedt, einddatum',
    'exceptions edit': 'wijzig de reden of einddatum van een vermelding (R6)',
    'exceptions review': 'wat om een besluit vraagt (R10): lang vermeld, door geen bron aangeboden, verlopen, en meer',
    'exceptions import':
      'voeg vermeldingen toe of werk ze bij vanuit CSV (, of ;) of JSON met kolommen user,reason,until; alle regels goed of niets geschreven',
    'exceptions export': 'de hele lijst, als CSV voor Excel (UTF-8 met BOM) of JSON; naar stdout of naar een bestand dat alleen jij kunt lezen',
    'exceptions remove': 'haal een account van de lijst (R7); waarschuwt als de volgende synchronisatie het dan verwijdert',
    users: 'accounts: bekijken, wijzigen, verwijderen, herstellen',
    'users list': 'accounts, op achternaam in Nederlandse volgorde (actieve; --status deleted of --all voor Verwijderde gebruikers)',
    'users show': 'één account: gegevens, eigenaar, koppelingen, relaties, uitzondering, recente geschiedenis',
    'users edit': 'wijzig de gegevens van een account (een account van een bron vraagt eerst: R13)',
    'users delete': 'verplaats naar Verwijderde gebruikers; haalt het van de uitzonderingenlijst (R3, R7, R14)',
    'users restore': 'herstel uit Verwijderde gebruikers, als hub-account zonder koppeling met een bron (R8)',
    'users purge': 'wis accounts die langer dan --older-than dagen verwijderd zijn (bewaartermijn); onomkeerbaar',
    audit: 'het logboek: wie wat wanneer en waarom heeft gewijzigd',
    demo: 'bouw een demohub uit meegeleverde exports en speel vijf nachten synchronisatie af',
    backup: 'een consistente kopie van de hub, ook terwijl een synchronisatie loopt; alleen leesbaar voor jou',
    config: 'de instellingen van de hub',
    check:
      'de integriteitscontrole van SQLite en de eigen regels van de hub; code 7 (HUB_DAMAGED) als er iets mis is. Alleen lezen: ook voor een reservekopie die je met --db geeft',
    targets: 'de doelsystemen waar de hub naar publiceert (SCIM, SDS, OneRoster, CSV)',
    'targets add': 'registreer een doelsysteem',
    'targets list': 'de geregistreerde doelsystemen',
    'targets show': 'één doelsysteem: instellingen, wat het laatst bevestigde en wanneer, en wat nog moet',
    'targets edit': 'wijzig de instellingen van een doelsysteem',
    'targets remove': 'verwijder een doelsysteem (de accounts in dat systeem blijven zoals ze zijn)',
    publish: 'stuur elk doelsysteem de hub zoals hij nu is: actieve accounts, deactiveringen, verwijderingen (R15–R17)',
    'config list': 'de instellingen en of ze gezet zijn',
    'config set': 'zet een instelling',
    'config unset': 'verwijder een instelling',
  }),
  options: () => ({
    ...sourceOptions('sources add'),
    ...sourceOptions('sources edit'),
    'sources remove|--force': 'verwijder het ook als er accounts aan gekoppeld zijn: de koppelingen gaan weg, de accounts blijven',
    'sync revert|--dry-run': 'laat zien wat terugdraaien zou terugzetten, wijzig niets',
    'sync revert|--force': 'draai ook accounts terug die een latere synchronisatie of een persoon sindsdien heeft gewijzigd',
    'audit|--user': 'alleen de regels van dit account (een nummer, e-mailadres of bron:externalId)',
    'audit|--since': 'vanaf deze dag, Nederlandse tijd (dd-mm-jjjj of JJJJ-MM-DD)',
    'audit|--limit': 'hoogstens zoveel, nieuwste eerst',
    'backup|--output': 'het bestand waar de kopie in komt',
    'backup|--force': 'vervang het bestand als het bestaat (nooit de hub zelf)',
    ...targetOptions('targets add'),
    ...targetOptions('targets edit'),
    'publish|--target': 'publiceer alleen naar dit doelsysteem; herhaalbaar (standaard: alle)',
    'publish|--dry-run': 'laat precies zien wat elk doelsysteem zou krijgen; verstuur niets',
    'publish|--max-deactivations':
      'stop als er meer accounts gedeactiveerd of verwijderd zouden worden (standaard: 10, of 10% van de accounts van het doelsysteem als dat meer is)',
    'publish|--approve': 'verstuur precies dit gecontroleerde plan, voorbij een veiligheidsstop',
    'publish|--force': 'hef de veiligheidsgrens op voor deze keer (wordt vastgelegd in de geschiedenis)',
    'exceptions add|--reason': 'waarom het account moet blijven (verplicht)',
    'exceptions add|--until': 'de vermelding verloopt na deze datum (dd-mm-jjjj of JJJJ-MM-DD)',
    'exceptions list|--stale': 'alleen vermeldingen die minstens zoveel dagen op de lijst staan',
    'exceptions list|--not-offered': 'alleen accounts die geen bron meer aanbiedt',
    'exceptions list|--limit': 'hoogstens zoveel vermeldingen (ook met --json)',
    'exceptions list|--offset': 'sla eerst zoveel vermeldingen over (met --limit: de volgende bladzijde)',
    'exceptions list|--all': 'elke vermelding; zonder deze optie toont een lijst van meer dan 100 vermeldingen de eerste 50 (--json: altijd alles)',
    'exceptions edit|--reason': 'de nieuwe reden',
    'exceptions edit|--until': 'een nieuwe einddatum (dd-mm-jjjj of JJJJ-MM-DD)',
    'exceptions edit|--no-until': 'haal de einddatum weg',
    'exceptions review|--older-than': 'vermeldingen die minstens zoveel dagen op de lijst staan tellen als lang vermeld',
    'exceptions review|--fail-if-pending': 'stop met code 6 als er iets om een besluit vraagt (voor cron en bewaking); het overzicht wordt toch getoond',
    'exceptions review|--all': 'elke vermelding van elke groep; zonder deze optie toont een groep van meer dan 100 de eerste 50 (--json: altijd alles)',
    'exceptions review|--no-record': 'alleen kijken, niet vastleggen als controle: verlopen vermeldingen komen dan bij de volgende controle terug',
    'exceptions import|--dry-run': 'controleer elke regel en laat zien wat er zou veranderen; schrijf niets',
    'exceptions export|--format': 'csv (standaard) of json; met --output betekent .json json',
    'exceptions export|--output': 'schrijf naar dit bestand (alleen leesbaar voor jou: er staan persoonsgegevens in) in plaats van naar stdout',
    'exceptions export|--delimiter': 'scheidingsteken voor CSV: "," (standaard) of ";" (Nederlandse Excel)',
    'sync run|--dry-run': 'laat precies zien wat de synchronisatie zou doen, wijzig niets',
    'sync run|--source': 'lees de export van deze bron voor deze keer uit een ander bestand; herhaalbaar',
    'sync run|--max-deletes': 'stop als er meer accounts verwijderd zouden worden (standaard: 10, of 10% van de gekoppelde accounts als dat meer is)',
    'sync run|--allow-empty': 'accepteer voor deze bron een export zonder regels; herhaalbaar',
    'sync run|--accept-unterminated':
      'accepteer CSV-bestanden van deze bron waarvan de laatste regel niet eindigt op een regeleinde (anders afgekapt); herhaalbaar',
    'sync run|--approve': 'voer precies dit gecontroleerde plan uit, voorbij een veiligheidsstop',
    'sync run|--force': 'hef de veiligheidsgrenzen op voor deze keer (wordt vastgelegd in de geschiedenis)',
    'sync run|--backup-dir': 'kopieer de hub eerst naar deze map (standaard: de instelling backup-dir)',
    'sync run|--keep': 'bewaar zoveel van die kopieën, verwijder oudere (standaard: de instelling backup-keep, anders 7)',
    'sync run|--no-backup': 'deze keer geen kopie vooraf, ook niet met de instelling backup-dir',
    'sync history|--limit': 'hoeveel synchronisaties',
    'sync show|--limit': 'hoogstens zoveel wijzigingen, in de volgorde waarin de synchronisatie ze maakte',
    'sync show|--offset': 'sla eerst zoveel wijzigingen over (met --limit: de volgende bladzijde)',
    'sync show|--all': 'elke wijziging; zonder deze optie toont een synchronisatie met meer dan 1000 wijzigingen de eerste 50 van elke soort',
    'users list|--status': 'active | deleted (standaard: active)',
    'users list|--all': 'actieve en verwijderde accounts',
    'users list|--owner': 'source | hub',
    'users list|--search': 'deel van een naam, e-mailadres, externalId (of bron:externalId), school of groep',
    'users list|--limit': 'hoogstens zoveel',
    'users edit|--prefix': 'tussenvoegsel ("" voor geen)',
    'users edit|--force': 'wijzig een account van een bron zonder te vragen (de volgende synchronisatie overschrijft het)',
    'users delete|--reason': 'waarom, voor het logboek',
    'users purge|--older-than': 'wis accounts die zoveel dagen in Verwijderde gebruikers staan',
    'users purge|--dry-run': 'laat zien welke accounts gewist zouden worden',
    'demo|--keep': 'schrijf de demohub hierheen (standaard: een nieuwe tijdelijke map)',
  }),
  examples: () => ({
    'play five nights of a demo foundation': 'speel vijf nachten van een demostichting af',
    "what tonight's sync would do": 'wat de synchronisatie van vannacht zou doen',
    'help for one command': 'hulp bij één opdracht',
    'the list': 'de lijst',
    'on a terminal: search the account, type the reason and an end date': 'in een terminal: zoek het account, typ de reden en een einddatum',
    'in one line': 'in één regel',
    'listed for 90 days or more, and offered by no source': '90 dagen of langer op de lijst, en door geen bron aangeboden',
    'a new reason, no end date': 'een nieuwe reden, geen einddatum',
    'exit 6 when anything needs a decision (a weekly cron mail)': 'code 6 als er iets om een besluit vraagt (een wekelijkse cron-mail)',
    'check every row, write nothing': 'controleer elke regel, schrijf niets',
    'for Dutch Excel': 'voor Nederlandse Excel',
    'asks first when the next sync would then delete the account': 'vraagt eerst als de volgende synchronisatie het account dan verwijdert',
    'exactly what it would do; changes nothing': 'precies wat hij zou doen; wijzigt niets',
    'the runs so far': 'de synchronisaties tot nu toe',
    'find accounts': 'accounts zoeken',
    'the Deleted users': 'de Verwijderde gebruikers',
    'back as a hub account without links': 'terug als hub-account zonder koppelingen',
    'every change to one account': 'elke wijziging van één account',
    'from that Dutch day on': 'vanaf die dag',
    'keep the demo hub to explore it': 'bewaar de demohub om hem te bekijken',
    'create the hub (readable by you only)': 'maak de hub aan (alleen leesbaar voor jou)',
    'the registered sources': 'de geregistreerde bronsystemen',
    'an HR export with Dutch headers': 'een HR-export met Nederlandse kolomnamen',
    'a standard format needs no --map': 'een standaardformaat heeft geen --map nodig',
    'name, kind, priority, file': 'naam, soort, prioriteit, bestand',
    'settings, links, and what is detected in the export now': 'instellingen, koppelingen, en wat er nu in de export herkend wordt',
    'read a new file from now on': 'lees voortaan een nieuw bestand',
    'refused while accounts are linked to it; --force removes the links': 'geweigerd zolang er accounts aan gekoppeld zijn; --force haalt de koppelingen weg',
    'read every export without syncing': 'lees elke export zonder te synchroniseren',
    'read another file for one source, for this run': 'lees voor één bron, deze keer, een ander bestand',
    'apply the plan that a safety stop printed': 'voer het plan uit dat een veiligheidsstop toonde',
    'piped, runs are tab-separated columns': 'naar een ander programma: kolommen gescheiden door tabs',
    'every change of run 17, and the files it read': 'elke wijziging van synchronisatie 17, en de bestanden die hij las',
    'what undoing run 41 would put back; changes nothing': 'wat terugdraaien van synchronisatie 41 zou terugzetten; wijzigt niets',
    'undo run 41 without a terminal to confirm on': 'draai synchronisatie 41 terug zonder terminal om te bevestigen',
    'a consistent copy, also while a sync runs': 'een consistente kopie, ook terwijl een synchronisatie loopt',
    "the hub's settings": 'de instellingen van de hub',
    'backup-dir and backup-keep, and whether they are set': 'backup-dir en backup-keep, en of ze gezet zijn',
    'every sync first copies the hub there': 'elke synchronisatie kopieert de hub eerst daarheen',
    'no more copies before a sync': 'geen kopieën meer voor een synchronisatie',
    'part of a name, email, externalId, school or group': 'deel van een naam, e-mailadres, externalId, school of groep',
    'one account, its links, relations and history': 'één account, zijn koppelingen, relaties en geschiedenis',
    'a source-owned account asks first': 'een account van een bron vraagt eerst',
    'to Deleted users; asks first': 'naar Verwijderde gebruikers; vraagt eerst',
    'which accounts a year of retention would erase': 'welke accounts een bewaartermijn van een jaar zou wissen',
    'the target systems and what each last acknowledged': 'de doelsystemen en wat elk laatst bevestigde',
    'a SCIM 2.0 service; the token stays in the environment': 'een SCIM 2.0-dienst; het token blijft in de omgeving',
    'School Data Sync v2.1 CSV files in a folder': 'School Data Sync v2.1-CSV-bestanden in een map',
    'name, kind, where, last publish': 'naam, soort, waar, laatste publicatie',
    'what it acknowledged, when, and what is pending': 'wat het bevestigde, wanneer, en wat nog moet',
    'more SCIM requests in flight': 'meer SCIM-verzoeken tegelijk',
    'forget a target and what it acknowledged': 'vergeet een doelsysteem en wat het bevestigde',
    'what every target would get; sends nothing': 'wat elk doelsysteem zou krijgen; verstuurt niets',
    "SQLite's integrity check and the hub's own rules; exit 7 when anything is wrong":
      'de integriteitscontrole van SQLite en de eigen regels van de hub; code 7 als er iets mis is',
    'verify a backup before restoring it': 'controleer een reservekopie voordat je hem terugzet',
    'the nightly pair: publish only after a completed sync': 'het nachtelijke paar: publiceer alleen na een voltooide synchronisatie',
  }),
  helpCommandText: () => 'toon de hulp bij een opdracht',
  reviewHelp: () =>
    `Groepen: --older-than dagen of langer op de lijst; op de lijst maar door geen bron aangeboden (en sinds wanneer);
verlopen sinds de vorige controle; weer door een bron aangeboden nadat de lijst ze heeft vastgehouden (de vermelding
wijzigen met \`exceptions edit\` legt het besluit vast om ze te houden); einddatum voorbij maar sindsdien nog geen
synchronisatie. Een controle wordt vastgelegd als de vorige controle (in de gegevens van de hub zelf, niet in het
logboek: ze verandert niets en maakt een goedgekeurd synchronisatieplan niet ongeldig). "te beslissen" telt elk
account één keer.`,
  importHelp: () =>
    `CSV: komma of puntkomma (wordt herkend), UTF-8 met of zonder BOM, een kopregel die de kolommen noemt (hoofdletters
maken niet uit; andere kolommen, zoals die van een export, worden overgeslagen). JSON: een lijst (array) van objecten.
\`user\` is een accountnummer, e-mailadres of bron:externalId. Een lege \`until\` haalt de einddatum van een vermelding weg;
zonder kolom \`until\` houden vermeldingen die al op de lijst staan hun einddatum. Problemen worden gemeld per regel in
het bestand (CSV) of per elementnummer, vanaf 1 (JSON). Een ' die \`exceptions export\` voor = + - @ zette, wordt
weer weggehaald.`,

  group: (p) =>
    ({
      create: 'Aangemaakt',
      update: 'Bijgewerkt',
      relink: 'Opnieuw gekoppeld',
      revive: 'Teruggezet uit Verwijderde gebruikers',
      lapse: 'Van de uitzonderingenlijst verlopen',
      pending: 'Wordt verwijderd (na de wachttijd)',
      delete: 'Verwijderd',
      protect: 'Beschermd door de uitzonderingenlijst',
      conflict: 'Conflicten (niets aangemaakt of gekoppeld)',
      keep: 'Niet teruggedraaid',
    })[p.action] ?? p.action,
  count: (p) =>
    ({
      created: 'aangemaakt',
      updated: 'bijgewerkt',
      relinked: 'opnieuw gekoppeld',
      revived: 'teruggezet',
      deleted: 'verwijderd',
      protected: 'beschermd',
      conflicts: p.n === 1 ? 'conflict' : 'conflicten',
      pending: 'wachtend op verwijdering',
      lapsed: 'verlopen',
      unchanged: 'ongewijzigd',
      kept: 'niet teruggedraaid (sindsdien gewijzigd)',
      notRevertible: 'niet terug te draaien',
    })[p.key] ?? p.key,
  noChanges: () => 'geen wijzigingen',
  andMore: (p) => `… en nog ${p.n}${p.hint ? ` (${p.hint})` : ''}`,
  // ---- the details of changes, one text per template (src/engine/describe.ts) -------------------
  // A table, not code: one literal over 80 lines, kept whole so a translator reads every text side by side.
  detailTexts: () => ({
    because: '{body} (omdat {why})',
    settingsToo: '{body} (ook de instellingen van de bron zijn gewijzigd: {why})',
    settingChanged: '{setting} van {source} gewijzigd van {from} naar {to}',
    alsoLinked: '{body}; ook gekoppeld aan {ref} (herkend aan {field})',
    reviveTaken:
      '{name}: {ref} zou account {id} terugzetten, maar actief account {holder} heeft het adres {email}; niets teruggezet of gekoppeld. Wilt u account {holder} houden, wis dan account {id} (users purge); wilt u account {id} houden, verwijder dan account {holder} (users delete), dan zet de volgende synchronisatie account {id} terug',
    reviveTakenRevived:
      '{name}: {ref} zou account {id} terugzetten, maar account {holder}, eerder verwijderd, komt in deze synchronisatie terug met het adres {email}; niets teruggezet of gekoppeld. Wilt u account {holder} houden, wis dan account {id} (users purge); wilt u account {id} houden, verwijder dan account {holder} opnieuw (users delete) zodra het terug is',
    newYieldsToRevive:
      '{name}: een nieuw account voor {ref} zou het adres {email} krijgen van account {id}, dat deze synchronisatie terugzet; niets aangemaakt of gekoppeld',
    newYieldsToTaker:
      '{name}: een nieuw account voor {ref} zou het adres {email} krijgen, dat account {id} in deze synchronisatie krijgt; niets aangemaakt of gekoppeld (de volgende synchronisatie herkent het record aan zijn sleutel)',
    newAddressHeld:
      '{name}: een nieuw account voor {ref} zou het adres {email} krijgen, maar actief account {holder} heeft dat adres; niets aangemaakt of gekoppeld. Corrigeer het adres in de bron van een van beide accounts',
    newAddressNew:
      '{name}: een nieuw account voor {ref} zou het adres {email} krijgen, waarmee {holder} in deze synchronisatie een nieuw account begint; niets aangemaakt of gekoppeld. Corrigeer het adres in de bron van een van beide regels',
    addressTaken:
      '{name}: {ref} geeft account {id} het adres {email}, maar actief account {holder} heeft dat adres; het adres is niet gewijzigd (de rest van het record wel). Corrigeer het adres in de bron van een van beide accounts',
    conflict: '{name}: {field} "{key}" past bij {candidates}; niets aangemaakt of gekoppeld',
    candidate: 'account {id}',
    candidateClaimed: 'account {id} (al geclaimd door een andere persoon uit deze bron)',
    candidateNew: 'het nieuwe account voor {ref}',
    candidateLinked: 'account {id} (gekoppeld aan {ref}, een andere persoon uit deze bron)',
    candidateNewClaimed: 'het nieuwe account voor {ref} (een andere persoon uit deze bron)',
    lapse: 'vermelding verlopen op {until} (reden was: {reason})',
    revive: 'weer aangeboden door {sources}; teruggezet uit Verwijderde gebruikers (verwijderd {at})',
    relinkListed: 'weer aangeboden door {source}: herkend aan de eerdere koppeling; de bron is weer eigenaar (het blijft op de lijst)',
    relinkOwned: 'weer aangeboden door {source}: herkend aan de eerdere koppeling; de bron is weer eigenaar',
    relinkActive: 'weer aangeboden door {source}: de koppeling {ref} is weer actief',
    linkedOwned: 'gekoppeld aan {ref}, herkend aan {field}; de bron is weer eigenaar',
    linked: 'gekoppeld aan {ref}, herkend aan {field}',
    relationsMoved: '{source} relaties: "{from}" → "{to}"',
    noLongerOffered: 'niet meer aangeboden door {ref}',
    protect: 'geen bron biedt het meer aan sinds {since}; blijft, want het staat op de uitzonderingenlijst ({reason})',
    pending: 'geen bron biedt het meer aan sinds {since}; wordt verwijderd op {due}, tenzij een bron het weer aanbiedt',
    delete: 'geen bron biedt het meer aan ({refs})',
    createFull: '{name} <{email}> ({role}): {relations}',
    createNoRole: '{name} <{email}>: {relations}',
    createNoEmail: '{name} ({role}): {relations}',
    revertStatus: 'status: {from} → {to}',
    revertOwner: 'eigenaar: {from} → {to}',
    revertLinkBack: 'koppeling {ref} terug',
    revertLinkBackInactive: 'koppeling {ref} terug (inactief)',
    revertLinkActive: 'koppeling {ref} weer actief',
    revertLinkInactive: 'koppeling {ref} weer inactief',
    revertLinkRemoved: 'koppeling {ref} verwijderd',
    revertListedUntil: 'weer op de uitzonderingenlijst ({reason}, tot en met {until})',
    revertListed: 'weer op de uitzonderingenlijst ({reason})',
    revertUnlisted: 'van de uitzonderingenlijst af',
    revertReason: 'reden op de lijst: "{from}" → "{to}"',
    revertUntil: 'einddatum op de lijst: {from} → {to}',
    revertAsItWas: 'zoals het was',
    revertForced: '{body} (doorgezet over wat het sinds synchronisatie {run} veranderde: {by})',
    revertKept: 'gewijzigd sinds synchronisatie {run} — {by}; niet aangeraakt (--force draait ook dit terug)',
    laterByRun: '{action} door synchronisatie {run} ({actor}, {at})',
    laterByPerson: '{action} ({actor}, {at})',
    laterRecords: 'de gegevens in de bronnen zijn sindsdien gewijzigd',
    revertPurged: 'account {id}: gewist sinds synchronisatie {run}; er valt niets terug te zetten',
    revertAddressTaken: 'niet teruggezet: actief account {holder} heeft sinds synchronisatie {run} het adres {email}; ongemoeid gelaten',
    revertAddressKept: 'adres niet teruggezet naar {email}: actief account {holder} heeft het sinds synchronisatie {run}; ongemoeid gelaten',
    revertAlready: 'al zoals voor de synchronisatie',
    revertAlreadyDeleted: 'al verwijderd',
    revertLegacy: '{body} — kan niet ongedaan worden gemaakt: synchronisatie {run} is vastgelegd voordat basishub bewaarde wat terugdraaien nodig heeft',
    revertNoRelations: '{body} (de relaties kunnen niet terug: vastgelegd voordat basishub ze bewaarde)',
    listedUntilNote: 'op de uitzonderingenlijst gezet tot en met {until} ({note})',
    listedUntil: 'op de uitzonderingenlijst gezet tot en met {until}',
    listedNote: 'op de uitzonderingenlijst gezet ({note})',
    listed: 'op de uitzonderingenlijst gezet',
    unlistedDeletes: 'van de uitzonderingenlijst gehaald; geen bron biedt het aan, dus de volgende synchronisatie verwijdert het',
    unlisted: 'van de uitzonderingenlijst gehaald',
    entryEdited: '{diffs} ({note})',
    unlistedDeleted: 'van de lijst gehaald omdat het account is verwijderd (R7)',
    unlistedSourceRemoved:
      'van de lijst gehaald: de laatste koppeling verdween met bronsysteem {source}, en een synchronisatie verwijdert nooit een account zonder koppeling (R9)',
    userEditedSource: '{diffs} (account van een bron: een synchronisatie zet het terug)',
    userDeletedOffered: '{name} naar Verwijderde gebruikers verplaatst (nog aangeboden door {sources})',
    userDeleted: '{name} naar Verwijderde gebruikers verplaatst',
    userRestoredLinks: 'hersteld uit Verwijderde gebruikers als hub-account; koppelingen verwijderd: {refs}',
    userRestored: 'hersteld uit Verwijderde gebruikers als hub-account',
    purged: 'gewist: {ids} ({n} in totaal, verwijderd voor {before}; bewaartermijn {days} dagen)',
    deletedByRun: 'synchronisatie {run}',
    deletedByRevert: 'terugdraaien van synchronisatie {run}',
    deletedBy: 'verwijderd door {actor}',
    sourceAdded: 'bronsysteem {source} ({kind}, {format}) leest {file}',
    sourceEditedNext: 'bronsysteem {source}: {changes}; de volgende synchronisatie bekijkt de {n} gekoppelde personen opnieuw',
    sourceEdited: 'bronsysteem {source}: {changes}',
    sourceRemoved: 'bronsysteem {source} verwijderd, met {n} koppeling(en)',
    settingSet: 'instelling {name} = {value}',
    settingRemoved: 'instelling {name} verwijderd',
    targetAddedAt: 'doelsysteem {target} ({kind}) op {url}',
    targetAddedWrites: 'doelsysteem {target} ({kind}) schrijft {output}',
    targetEditedForgotten: 'doelsysteem {target} gewijzigd; wat het bevestigd had is vergeten',
    targetEdited: 'doelsysteem {target} gewijzigd',
    targetRemoved: 'doelsysteem {target} ({kind}) verwijderd; de accounts erin zijn gelaten zoals ze zijn',
    publishErased: 'gewist uit de hub: verwijderd uit het doelsysteem',
    publishDeactivate: '{who}: verwijderd in de hub, gedeactiveerd in het doelsysteem',
    publishReactivate: '{who}: weer actief in de hub',
    diffs: '{diffs}',
    updateParts: '{parts}',
    syncStopDeletes: 'hij zou {n} accounts verwijderen ({per}), meer dan de grens van {max}',
    syncStopPer: '{n} gekoppeld aan {source}',
    syncStopDrop: 'bron {source} ging van {before} naar {after} personen sinds synchronisatie {run}',
    publishStopReason: 'het zou {removals} van de {acked} accounts in het doelsysteem deactiveren of verwijderen, meer dan de grens van {max}',
    publishStopMismatch: '{body} (plan {approved} klopt niet meer: de hub is sindsdien gewijzigd; het plan is nu {plan})',
    publishLifted: 'opgeheven ({how})',
    publishNoToken: 'de omgevingsvariabele {env} bevat geen token: zet hem waar basishub publiceert (ook in cron)',
    publishNotSent: 'niet verstuurd: {why}',
    publishSilent: 'de dienst antwoordt niet meer ({why})',
    publishGroupFailed: 'groep {key}: {why}',
    who: '{who}: {body}',
    createBare: '{name}: {relations}',
  }),
  detailWords: () => ({
    staff: 'medewerker',
    student: 'leerling',
    email: 'e-mailadres',
    externalId: 'externalId',
    none: 'geen',
    givenName: 'voornaam',
    prefix: 'tussenvoegsel',
    familyName: 'achternaam',
    role: 'rol',
    reason: 'reden',
    until: 'einddatum',
    priority: 'prioriteit',
    kind: 'soort',
    map: 'kolommen',
    'match key': 'matchsleutel',
    'date format': 'datumnotatie',
    'grace days': 'wachtdagen',
    file: 'bestand',
    format: 'formaat',
    delimiter: 'scheidingsteken',
    encoding: 'tekenset',
    active: 'actief',
    deleted: 'verwijderd',
    hub: 'hub',
    source: 'bron',
    auto: 'automatisch',
    '(none)': '(geen)',
    tab: 'tab',
  }),
  detailJoin: () => ({ and: ' en ', from: ' vanaf ', until: ' tot en met ' }),
  dryRunTitle: () => 'Proefdraaien',
  nothingChanged: () => ' — er is niets gewijzigd',
  runCompleted: (p) => `Synchronisatie ${p.runId} voltooid`,
  forcedPast: () => ' (voorbij de veiligheidsgrenzen, met --force)',
  approvedPlan: (p) => ` (goedgekeurd plan ${p.plan})`,
  fileLine: (p) => `  ${p.source}: ${p.path} — ${p.records} personen, sha256 ${p.checksum}`,
  settingsChanged: (p) => `  Instellingen gewijzigd sinds de vorige synchronisatie, dus de accounts van die bronnen worden opnieuw bekeken: ${p.what}.`,
  backupFirst: (p) =>
    `  eerst een reservekopie: ${p.output}${p.pruned ? ` (${p.pruned} ${p.pruned === 1 ? 'oudere kopie' : 'oudere kopieën'} opgeruimd)` : ''}`,
  planLine: (p) => `\nPlan ${p.plan}. Start zonder --dry-run om het uit te voeren.`,
  planWouldStop: (p) =>
    `\nPlan ${p.plan}. Een synchronisatie zou hier stoppen (exit 4, er verandert niets): ${p.reasons}. Klopt het plan, voer dan precies dit plan uit met \`${p.approve}\` (of sta meer toe met --max-deletes <n>).`,
  noRunsYet: () => 'Er is nog niet gesynchroniseerd. Begin met `basishub sync run --dry-run`.',
  noRun: (p) => `Er is geen synchronisatie ${p.id}.`,
  noRunHint: () => 'Bekijk de synchronisaties met `basishub sync history`.',
  badOverride: (p) => `--source "${p.value}" is niet in de vorm naam=pad.`,
  runStatus: (p) => ({ completed: 'voltooid', stopped: 'gestopt' })[p.status] ?? p.status,
  runFlags: (p) =>
    (p.dryRun ? ' (proef)' : '') +
    (p.forced ? ' (geforceerd)' : '') +
    (p.approved ? ' (goedgekeurd)' : '') +
    (p.reverts !== null ? ` (draait synchronisatie ${p.reverts} terug)` : ''),
  showTitle: (p) => `Synchronisatie ${p.runId}`,
  showStopped: () => ' (er is niets gewijzigd; hieronder staat wat gepland was)',
  showStarted: (p) => `  gestart ${p.started} door ${p.actor}${p.finished ? `, klaar ${p.finished}` : ''}`,
  showReverts: (p) => `  draait synchronisatie ${p.runId} terug`,
  showStop: (p) => `  ${p.stopped ? 'gestopt' : 'veiligheid'}: ${p.reason}`,
  showPlan: (p) => `  plan ${p.plan}${p.approve ? `  (uitvoeren met: ${p.approve})` : ''}`,

  noName: () => '(geen naam)',
  deletedMark: () => '[verwijderd]',
  emptyRef: () => 'Er is een lege verwijzing naar een account gegeven.',
  emptyRefHint: () => 'Geef een accountnummer, een e-mailadres of bron:externalId.',
  noSourceNamed: (p) => `Er is geen bronsysteem "${p.source}" (in de verwijzing "${p.ref}").`,
  seeSources: () => 'Bekijk de bronsystemen met `basishub sources list`.',
  notARef: (p) => `"${p.ref}" is geen accountnummer, e-mailadres of bron:externalId.`,
  findAccountHint: () => 'Zoek het account met `basishub users list --search <naam>`.',
  noMatch: (p) => `Geen account past bij "${p.ref}".`,
  noMatchHint: () => 'Zoek het account met `basishub users list --search <naam>` (verwijderde: --status deleted).',
  ambiguous: (p) => `"${p.ref}" past bij ${p.n} accounts: ${p.list}.`,
  ambiguousHint: () => 'Geef in plaats daarvan het accountnummer (#…).',
  editDeleted: (p) => `${p.account} is verwijderd; een verwijderd account kun je niet wijzigen.`,
  restoreFirst: (p) => `Herstel het eerst met \`basishub users restore ${p.id}\`.`,
  nothingToChangeUser: () => 'Er is niets te wijzigen.',
  nothingToChangeUserHint: () => 'Geef --given-name, --prefix, --family-name of --email.',
  notEmail: (p) => `"${p.value}" is geen e-mailadres.`,
  emptyFamilyName: () => 'De achternaam mag niet leeg zijn.',
  ownedBySource: (p) =>
    `${p.account} hoort bij ${p.sources || 'zijn bronsysteem'}: de volgende synchronisatie zet deze wijziging terug naar wat de bron zegt${p.listed ? ' (dat het op de uitzonderingenlijst staat, verandert daar niets aan zolang een bron het aanbiedt)' : ''}. Wijzig het liever in het bronsysteem.`,
  editAnyway: () => 'Toch in de hub wijzigen?',
  editRefusal: (p) => `${p.account} hoort bij zijn bronsysteem; de volgende synchronisatie zou de wijziging terugzetten.`,
  emailTaken: (p) => `${p.email} is het e-mailadres van ${p.holders}; een adres hoort bij één actief account.`,
  emailTakenHint: (p) =>
    `Wijzig of verwijder eerst het adres van ${p.n === 1 ? 'dat account' : 'die accounts'}, of kies een ander adres. Er is niets gewijzigd.`,
  alreadyDeleted: (p) => `${p.account} is al verwijderd (${p.at}).`,
  alreadyDeletedHint: (p) => `Bekijk het met \`basishub users show ${p.id}\`; herstel het met \`basishub users restore ${p.id}\`.`,
  stillOffered: (p) =>
    `${p.account} wordt nog aangeboden door ${p.by}: de volgende synchronisatie zet het terug, tenzij een ander actief account dan het adres heeft (die synchronisatie meldt dan een conflict dat dat account noemt en laat dit account verwijderd). Wil je de persoon echt kwijt, verwijder hem dan in het bronsysteem.`,
  deleteTakesOff: (p) => `${p.account} staat op de uitzonderingenlijst (${p.reason}); verwijderen haalt het van de lijst (R7).`,
  deleteQuestion: (p) => `${p.account} verwijderen?`,
  deleteRefusal: (p) => `Het verwijderen van ${p.account} moet bevestigd worden.`,
  notDeleted: (p) => `${p.account} is niet verwijderd, dus er valt niets te herstellen.`,
  purgeDays: () => '--older-than moet een geheel aantal dagen zijn, minstens 1.',
  purgeWarn: (p) => `${accounts(p.n)}, verwijderd vóór ${p.before}, worden voorgoed gewist: daarna kun je ze niet meer herstellen of terugzetten.`,
  purgeQuestion: (p) => `${accounts(p.n)} voorgoed wissen?`,
  purgeRefusal: (p) => `Opschonen wist ${accounts(p.n)} voorgoed.`,
  refusedNothingChanged: (p) => `${p.refusal} Er is niets gewijzigd.`,
  refusedHint: (p) => `Zonder terminal kan er niets gevraagd worden: geef ${p.flag} om het toch te doen.`,

  statusValue: (p) => `--status moet active of deleted zijn, niet "${p.value}".`,
  ownerValue: (p) => `--owner moet source of hub zijn, niet "${p.value}".`,
  noActiveMatch: () => 'Geen actieve accounts gevonden (verwijderde: --status deleted of --all).',
  noAccountsMatch: () => 'Geen accounts gevonden.',
  usersCount: (p) => {
    const what = p.status === 'deleted' ? 'verwijderde accounts' : p.status === 'active' ? 'actieve accounts' : 'accounts';
    const one = p.status === 'deleted' ? 'verwijderd account' : p.status === 'active' ? 'actief account' : 'account';
    if (p.estimated) return `${num(p.shown)} van ongeveer ${num(p.total)} ${what}`;
    return p.shown < p.total ? `${num(p.shown)} van ${num(p.total)} ${what}` : `${num(p.total)} ${p.total === 1 ? one : what}`;
  },
  userStatusCell: (p) => (p.status === 'deleted' ? `verwijderd ${p.deletedAt}` : p.notOfferedSince ? `niet aangeboden sinds ${p.notOfferedSince}` : 'actief'),
  ownerCell: (p) => ({ source: 'bron', hub: 'hub' })[p.owner] ?? p.owner,
  roleCell: (p) => ({ staff: 'medewerker', student: 'leerling' })[p.role] ?? p.role,
  inactiveLink: () => ' (niet actief)',
  listedCell: () => 'op de lijst',
  onListMark: () => ' [op de uitzonderingenlijst]',
  field: (p) =>
    ({
      email: 'e-mail',
      name: 'naam',
      role: 'rol',
      status: 'status',
      owner: 'eigenaar',
      offered: 'aangeboden',
      links: 'koppelingen',
      relations: 'relaties',
      created: 'aangemaakt',
      exception: 'uitzondering',
    })[p.name],
  none: () => '(geen)',
  statusLine: (p) => `${p.status === 'deleted' ? 'verwijderd' : 'actief'}${p.since ? ` sinds ${p.since} (${p.cause})` : ''}`,
  ownerLine: (p) => (p.owner === 'hub' ? 'hub (wijzig het hier)' : 'bron (wijzig het in het bronsysteem)'),
  offeredLine: (p) => `geen bron biedt het meer aan sinds ${p.since}${p.listed ? ' — blijft door de lijst' : ' — wordt verwijderd'}`,
  notOfferedLink: () => ' (niet aangeboden)',
  noLinks: () => 'geen (een hub-account)',
  createdLine: (p) => `${p.created}   bijgewerkt ${p.updated}`,
  exceptionLine: (p) => `${p.reason}${p.until ? ` (tot en met ${p.until})` : ''} — toegevoegd ${p.added} door ${p.by}`,
  recentHistory: () => 'Recente geschiedenis',
  userUnchanged: () => 'Niets gewijzigd: het account heeft deze waarden al.',
  userChanged: (p) => `${capital(p.fields.join(', '))} van #${p.id} ${p.name} gewijzigd.`,
  userDeleted: (p) => `#${p.id} ${p.name} staat nu bij Verwijderde gebruikers${p.wasListed ? ' en is van de uitzonderingenlijst gehaald' : ''}.`,
  willRestore: () =>
    'Een bron biedt het nog aan: de volgende synchronisatie zet het terug, tenzij een ander actief account dan het adres heeft (dan een conflict).',
  userRestored: (p) =>
    `#${p.id} ${p.name} is hersteld. Het is nu een hub-account: geen koppeling met een bron, niet op de uitzonderingenlijst, en een synchronisatie verwijdert het nooit.`,
  noPurge: (p) => `Er is geen account dat al langer dan ${p.days} dagen verwijderd is.`,
  wouldPurge: (p) => `${accounts(p.n)} zou${p.n === 1 ? '' : 'den'} gewist worden. Start zonder --dry-run om ze te wissen.`,
  purged: (p) => `${accounts(p.n)} gewist, verwijderd vóór ${p.before}.`,

  head: (p) =>
    ({
      id: 'nr',
      name: 'naam',
      email: 'e-mail',
      role: 'rol',
      school: 'school',
      group: 'groep',
      status: 'status',
      owner: 'eigenaar',
      links: 'koppelingen',
      list: 'lijst',
      reason: 'reden',
      'added by': 'toegevoegd door',
      days: 'dagen',
      source: 'bron',
      until: 'einddatum',
      when: 'wanneer',
      who: 'wie',
      what: 'wat',
      account: 'account',
      detail: 'details',
      run: 'nr',
      started: 'gestart',
      by: 'door',
      changes: 'wijzigingen',
      plan: 'plan',
      'not offered since': 'niet aangeboden sinds',
      'days listed': 'dagen op de lijst',
      lapsed: 'verlopen',
      now: 'nu',
      'works at': 'werkt bij',
      'last kept by the list': 'laatst beschermd',
      deleted: 'verwijderd',
      cause: 'oorzaak',
      line: 'regel',
      element: 'element',
      would: 'zou',
      done: 'gedaan',
      kind: 'soort',
      format: 'formaat',
      priority: 'prioriteit',
      match: 'match',
      grace: 'wachttijd',
      file: 'bestand',
      organisation: 'organisatie',
      records: 'personen',
      setting: 'instelling',
      value: 'waarde',
      meaning: 'betekenis',
      problem: 'probleem',
      where: 'waar',
      'active there': 'daar actief',
      'last publish': 'laatste publicatie',
    })[p.name] ?? p.name,

  reasonRequired: () => 'Een reden is verplicht, zodat elke coördinator later kan zien waarom het account op de lijst staat (R6).',
  reasonRequiredHint: () => 'Geef --reason "<waarom>".',
  reasonRequiredShort: () => 'Een reden is verplicht (R6): geef --reason "<waarom>".',
  reasonRequiredPrompt: () => 'Een reden is verplicht (R6).',
  listDeleted: (p) => `${p.account} is verwijderd en kan niet op de lijst.`,
  listDeletedHint: () => 'Een verwijderd account valt niet te beschermen.',
  alreadyListed: (p) => `${p.account} staat al op de lijst (sinds ${p.since}, door ${p.by}: ${p.reason}).`,
  alreadyListedHint: (p) => `Wijzig de vermelding met \`basishub exceptions edit ${p.id} --reason "…"\`.`,
  noSourceLink: (p) =>
    `${p.account} is niet gekoppeld aan een bronsysteem en kan dus niet op de lijst: de lijst beschermt accounts tegen verwijderen door een bron, en dit account wordt door geen bron gestuurd.`,
  noSourceLinkHint: () =>
    'Een synchronisatie verwijdert nooit een account zonder koppeling (bijvoorbeeld een account dat is hersteld uit Verwijderde gebruikers), dus het heeft geen bescherming nodig.',
  untilPast: (p) =>
    `${p.label ? `${p.label} ` : 'De einddatum '}${day(p.date)} ligt in het verleden; de vermelding zou bij de volgende synchronisatie verlopen.`,
  notADate: (p) => `${p.label ? `${p.label}: ` : ''}"${p.value}" is geen datum: typ hem als dd-mm-jjjj of JJJJ-MM-DD (31-01-2027 of 2027-01-31).`,
  noSuchDate: (p) => `${p.label ? `${p.label}: ` : ''}"${p.value}" is een datum die niet bestaat.`,
  whichAccount: () => 'Welk account? Geef <user> (een accountnummer, e-mailadres of bron:externalId).',
  whichAccountHint: () => 'Zonder terminal kan er niets gevraagd worden: `basishub exceptions add <user> --reason "…"`.',
  pickAccount: () => 'Welk account? Typ een deel van een naam, e-mailadres, nummer of een verwijzing zoals hr:10234',
  typeMore: (p) => `  Typ minstens ${p.n} letters.`,
  askReason: () => 'Reden (waarom moet dit account blijven?)',
  askUntil: () => 'Einddatum (dd-mm-jjjj of JJJJ-MM-DD, leeg voor geen)',
  confirmAdd: (p) => `${p.account} op de uitzonderingenlijst zetten${p.until ? ` tot en met ${p.until}` : ''}?`,
  pickerNoSource: () => 'geen bron',
  pickerNoRole: () => 'geen rol',
  pickerDescription: (p) => `#${p.id}, ${p.role}, eigenaar ${({ source: 'bron', hub: 'hub' } as Record<string, string>)[p.owner] ?? p.owner}`,
  pickerDeleted: (p) => `verwijderd ${p.at}${p.cause ? ` (${p.cause})` : ''}`,
  pickerListed: () => 'staat al op de lijst',
  pickerNoLink: () => 'niet gekoppeld aan een bron (R9)',
  notListed: (p) => `${p.account} staat niet op de uitzonderingenlijst.`,
  notListedHint: (p) => `Zet het op de lijst met \`basishub exceptions add ${p.id} --reason "…"\`.`,
  nothingToChange: () => 'Er is niets te wijzigen.',
  nothingToChangeHint: () => 'Geef --reason, --until <datum> of --no-until.',
  removeWarn: (p) =>
    `Geen bron biedt ${p.account} nog aan${p.since ? ` (sinds ${p.since})` : ''}: zodra het van de lijst af is, verwijdert de volgende synchronisatie het.`,
  removeQuestion: (p) => `${p.account} van de lijst halen, zodat de volgende synchronisatie het verwijdert?`,
  removeRefusal: (p) => `Als ${p.account} van de lijst gaat, verwijdert de volgende synchronisatie het.`,
  added: (p) => `#${p.id} ${p.name} staat op de uitzonderingenlijst${p.until ? ` tot en met ${p.until}` : ''}: een synchronisatie verwijdert het niet.`,
  addedNotOffered: () => 'Geen bron biedt het nu aan: zolang het op de lijst staat is de hub eigenaar (wijzigen met `basishub users edit`).',
  listEmpty: (p) => `De uitzonderingenlijst is leeg${p.filtered ? ' voor dit filter.' : '.'}`,
  entries: (p) => `${num(p.n)} ${p.n === 1 ? 'vermelding' : 'vermeldingen'}`,
  pageShown: (p) =>
    `${p.to < p.from ? `geen vanaf ${num(p.from)}` : `${num(p.from)}–${num(p.to)}`} van ${num(p.total)} ${p.what === 'entries' ? (p.total === 1 ? 'vermelding' : 'vermeldingen') : p.total === 1 ? 'wijziging' : 'wijzigingen'}${p.next ? ` (volgende: ${p.next}; alles: --all)` : ''}`,
  entryUnchanged: () => 'Niets gewijzigd: de vermelding heeft deze waarden al.',
  entryField: (p) => ({ reason: 'reden', until: 'einddatum' })[p.field] ?? p.field,
  entryChanged: (p) => `${capital(p.fields.join(' en '))} van de vermelding van #${p.id} ${p.name} gewijzigd.`,
  removed: (p) => `#${p.id} ${p.name} is van de uitzonderingenlijst gehaald.`,
  offeredCell: () => 'aangeboden',
  notOfferedCell: (p) => `niet aangeboden${p.since ? ` sinds ${p.since}` : ''}`,
  lapsedCell: (p) => `${p.until} (verlopen)`,
  addedByCell: (p) => `${p.by} ${p.at}`,
  exportDelimiterCsvOnly: () => '--delimiter geldt alleen voor CSV.',
  exportDelimiterCsvOnlyHint: () => 'Laat --delimiter weg, of geef --format csv.',
  exportCsvJson: () => 'Met --json staat er één JSON-document op stdout, dus de CSV kan daar niet heen.',
  exportCsvJsonHint: () => 'Geef --output <bestand> voor de CSV, of --format json.',
  exported: (p) =>
    `${num(p.n)} ${p.n === 1 ? 'vermelding' : 'vermeldingen'} geëxporteerd naar ${p.file} (${p.csv ? `CSV, UTF-8 met BOM, scheidingsteken "${p.delimiter}"` : 'JSON'}; alleen leesbaar voor jou).`,
  importCounts: (p) =>
    `${p.added} ${p.dryRun ? 'toe te voegen' : 'toegevoegd'}, ${p.updated} ${p.dryRun ? 'bij te werken' : 'bijgewerkt'}, ${p.unchanged} ongewijzigd`,
  importDryRun: (p) => `Proef met ${p.file}: ${p.counts}. Er is niets geschreven.`,
  imported: (p) => `${p.file} ingelezen: ${p.counts}.`,
  importAction: (p) => (p.add ? (p.dryRun ? 'toevoegen' : 'toegevoegd') : `${p.dryRun ? 'bijwerken' : 'bijgewerkt'} ${p.changed}`),

  reviewTitle: () => 'Controle van de uitzonderingenlijst',
  reviewPrevious: (p) => ` — ${p.today}; vorige controle: ${p.previous ?? 'geen'}`,
  reviewGroup: (p) =>
    ({
      longListed: `${p.days} ${p.days === 1 ? 'dag' : 'dagen'} of langer op de lijst`,
      notOffered: 'Op de lijst, maar geen bron biedt ze aan: ze blijven alleen door de lijst',
      lapsed: 'Verlopen sinds de vorige controle (de einddatum is voorbij; een synchronisatie heeft ze van de lijst gehaald)',
      offeredAgain: 'Weer aangeboden door een bron: bescherming is misschien niet meer nodig',
      pastUntil: 'Einddatum voorbij, staat op de lijst tot de volgende synchronisatie',
    })[p.group] ?? p.group,
  reviewAdvice: (p) =>
    ({
      longListed:
        'Nog nodig? Haal het van de lijst met `basishub exceptions remove <nr>`, of leg vast waarom het blijft met `basishub exceptions edit <nr> --reason "…" --until <datum>`.',
      notOffered:
        'Haal het van de lijst met `basishub exceptions remove <nr>` (de volgende synchronisatie verwijdert het), of verwijder het nu met `basishub users delete <nr>`.',
      lapsed:
        'Nog nodig? Zet het terug met `basishub exceptions add <nr> --reason "…" --until <datum>`; een verwijderd account eerst herstellen met `basishub users restore <nr>`.',
      offeredAgain:
        'Haal het van de lijst met `basishub exceptions remove <nr>`; wil je het houden, wijzig dan de reden of einddatum met `basishub exceptions edit <nr>` (dat legt het besluit vast).',
      pastUntil: 'De volgende `basishub sync run` haalt het van de lijst. Houden: `basishub exceptions edit <nr> --until <datum>` of `--no-until`.',
    })[p.group] ?? '',
  reviewNone: () => 'geen',
  unknown: () => 'onbekend',
  lapsedInRun: (p) => ` (synchronisatie ${p.runId})`,
  listedAgain: () => 'weer op de lijst',
  deletedCell: () => 'verwijderd',
  activeNotListed: () => 'actief, niet op de lijst',
  reviewClear: () => 'Niets op de uitzonderingenlijst vraagt om een besluit.',
  reviewPending: (p) => `${accounts(p.n)} ${p.n === 1 ? 'vraagt' : 'vragen'} om een besluit.`,
  reviewNotRecorded: () => 'Niet vastgelegd als controle (--no-record).',

  demoNight: (p) => `Nacht ${p.night} — ${p.date}`,
  demoStory: (p) =>
    ({
      1: [
        'De eerste synchronisatie: HR (AFAS), de leerlingadministratie (ParnasSys) en Basispoort.',
        'Medewerkers uit Basispoort worden op e-mailadres aan de HR-accounts gekoppeld: één account per persoon, aan beide gekoppeld (R11, R12).',
      ],
      2: [
        'Er komt een leerling bij, een ander vertrekt; Anouk de Graaf trouwt en heet nu Jansen-de Graaf.',
        'Fatima el Amrani (invalpool) zit tussen twee contracten: weg uit HR en Basispoort, maar ze staat op de uitzonderingenlijst.',
        'Lotte Vermeulen staat ingeschreven zonder groep: niet aangeboden, dus geen account (R2).',
      ],
      3: ['Petra Smit verlaat de stichting; Saar Jacobs gaat naar groep 6; Fatima zit nog steeds tussen twee contracten.'],
      4: [
        'Fatima heeft een nieuw contract bij RKBS Sint Jozef: HR biedt haar weer aan en ze wordt met haar oude account gematcht, niet dubbel aangemaakt (R5).',
      ],
      5: ['Fatima is weer weg uit HR en staat niet meer op de lijst: deze nacht wordt haar account verwijderd (R7).'],
    })[p.night] ?? [],
  demoAction: (p) =>
    ({
      protect: { title: 'De coördinator beschermt de invalkracht', result: 'Fatima el Amrani staat op de uitzonderingenlijst.' },
      rename: {
        title: 'Fatima is getrouwd: de hub is nu eigenaar van haar account (R4), dus de coördinator past haar naam in de hub aan',
        result: 'Achternaam gewijzigd.',
      },
      unlist: {
        title: 'Haar nieuwe contract is bekend; de coördinator haalt haar van de lijst (R7)',
        result: 'Fatima el Amrani-Bakker is van de uitzonderingenlijst gehaald.',
      },
    })[p.step] ?? { title: p.step, result: '' },
  demoExplore: () => 'Bekijk de demohub:',
  exportHint: () => 'Er is niets gewijzigd. Herstel of vervang de export en probeer het opnieuw.',
  attribute: (p) =>
    (({ givenName: 'voornaam', prefix: 'tussenvoegsel', familyName: 'achternaam', email: 'e-mailadres' }) as Record<string, string>)[p.name] ?? p.name,
  stopDeletes: (p) =>
    `hij zou ${num(p.n)} accounts verwijderen (${p.per.map((x) => `${num(x.n)} gekoppeld aan ${x.source}`).join(', ')}), meer dan de grens van ${num(p.max)}`,
  stopDrop: (p) => `bron ${p.source} ging van ${num(p.before)} naar ${num(p.after)} personen sinds synchronisatie ${p.runId}`,
  syncStopped: (p) => `Synchronisatie gestopt: ${p.reasons}. Er is niets gewijzigd.`,
  syncStoppedHint: (p) =>
    `Bekijk het plan met \`basishub sync show ${p.runId}\`; klopt het, voer dan precies dit plan uit met \`${p.approve}\` (of sta meer toe met --max-deletes <n>).`,
  planMismatch: (p) =>
    `Plan ${p.approved} klopt niet meer: de exports of de hub zijn gewijzigd sinds het is bekeken (het plan is nu ${p.plan}). Er is niets gewijzigd.`,
  planMismatchHint: () => 'Bekijk het nieuwe plan met `basishub sync run --dry-run` en keur het dan goed.',
  noSources: () => 'Er zijn geen bronsystemen geregistreerd, dus er valt niets te synchroniseren.',
  noSourcesHint: () => 'Voeg er een toe met `basishub sources add <naam> --file <export>`.',
  noSource: (p) => `Er is geen bronsysteem "${p.name}".`,
  theSourcesAre: (p) => `De bronsystemen zijn: ${p.names}.`,
  schemaNewer: (p) => `${p.file} heeft schemaversie ${p.version}, nieuwer dan deze basishub kent (${p.known}).`,
  schemaNewerHint: () => 'Werk basishub bij; deze versie laat een nieuwere hub met rust.',
  noDatabase: (p) => `Er is geen basishub-database op ${p.file}.`,
  noDatabaseHint: () => 'Maak er een met `basishub init`, of wijs de jouwe aan met --db <pad> of BASISHUB_DB.',
  notAFile: (p) => `${p.file} is geen bestand.`,
  notAHub: (p) => `${p.file} is geen basishub-database; basishub blijft ervan af.`,
  notAHubHint: () => 'Geef het pad van je hub met --db, of maak een nieuwe met `basishub init --db <nieuw pad>`.',
  notAHubBecause: (p) => `${p.file} is geen basishub-database (${p.why}).`,
  notAHubBecauseHint: () => 'Geef het pad van je hub met --db.',
  syncLocked: (p) => `Er loopt al een synchronisatie: gestart door ${p.actor} om ${p.since} (proces ${p.pid} op ${p.host}).`,
  syncLockedHint: () => 'Wacht tot die klaar is; deze keer is er niets gewijzigd. Een slot van een afgebroken synchronisatie wordt vanzelf overgenomen.',
  commanderError: (p) => dutchCommander(p.message),
  hubCreated: (p) => `De hub is aangemaakt op ${p.path} (alleen leesbaar voor jou).`,
  hubExists: (p) => `${p.path} is al een basishub-hub; er is niets gewijzigd.`,
  hubNext: () => 'Volgende stap: registreer een bronsysteem met `basishub sources add <naam> --file <export>`.',
  noAudit: () => 'Geen regels in het logboek gevonden.',
  sourceAdded: (p) => `Bronsysteem ${p.name} toegevoegd.`,
  checkSource: (p) => `Controleer de export met \`basishub sources check ${p.name}\`.`,
  noSourcesYet: () => 'Nog geen bronsystemen. Voeg er een toe met `basishub sources add <naam> --file <export>`.',
  sourceUnchanged: (p) => `Niets gewijzigd: bronsysteem ${p.name} heeft deze instellingen al.`,
  sourceChanged: (p) => `Bronsysteem ${p.name} gewijzigd: ${p.changes}.`,
  sourceEvaluatedAgain: (p) =>
    `De volgende synchronisatie bekijkt de ${num(p.n)} ${p.n === 1 ? 'gekoppelde regel' : 'gekoppelde regels'} opnieuw; \`basishub sync run --dry-run\` laat zien wat er verandert.`,
  sourceRemoved: (p) =>
    `Bronsysteem ${p.name} verwijderd${p.unlinked ? ` (${num(p.unlinked)} ${p.unlinked === 1 ? 'koppeling' : 'koppelingen'} verwijderd)` : ''}.`,
  checkFoundProblems: (p) =>
    `${num(p.n)} ${p.n === 1 ? 'probleem' : 'problemen'} in de export van ${p.sources} (hierboven): een synchronisatie zou die weigeren en niets veranderen.`,
  checkCounts: (p) => `  ${num(p.records)} personen in ${num(p.rows)} regels; ${num(p.notOffered)} niet aangeboden (geen huidige relatie)`,
  moreOrganisations: (p) => `  … en nog ${num(p.n)} organisaties`,
  backupWritten: (p) => `Reservekopie geschreven naar ${p.output} (${p.size}, alleen leesbaar voor jou).`,
  backupCheck: (p) =>
    `Controleer hem met \`basishub check --db ${p.output}\`; terugzetten: zie "Reservekopieën" in de handleiding (de -wal- en -shm-bestanden van de hub moeten ook weg).`,
  notSet: () => '(niet gezet)',
  settingRemoved: (p) => `${p.name} verwijderd`,
  revertTitleDry: (p) => `Terugdraaien van synchronisatie ${p.runId}`,
  revertDryNote: () => ' — proef, er is niets gewijzigd',
  revertNothing: (p) => `Niets terug te draaien in synchronisatie ${p.runId}`,
  revertNothingNote: () => ' — elk account dat hij wijzigde is weer zoals ervoor, of is sindsdien gewijzigd',
  revertDone: (p) => `Synchronisatie ${p.runId} voltooid: synchronisatie ${p.revertOf} is teruggedraaid`,
  revertForced: () => ' (ook over latere wijzigingen heen, met --force)',
  revertPartial: (p) =>
    `  Synchronisatie ${p.runId} is vastgelegd voordat basishub bewaarde wat terugdraaien nodig heeft: alleen aangemaakte accounts en gewijzigde gegevens kunnen terug.`,
  revertApply: (p) =>
    `\nVoer het uit met \`basishub sync revert ${p.runId} --yes\`${p.kept ? ', met --force ook voor de accounts die sindsdien gewijzigd zijn' : ''}.`,
  revertStopped: (p) => `Synchronisatie ${p.runId} is gestopt bij een veiligheidsgrens en heeft niets gewijzigd, dus er valt niets terug te draaien.`,
  revertStoppedHint: (p) => `Bekijk wat hij van plan was met \`basishub sync show ${p.runId}\`.`,
  revertUnfinished: (p) => `Synchronisatie ${p.runId} is nog niet klaar.`,
  revertNeedsYes: (p) => `Terugdraaien van synchronisatie ${p.runId} wijzigt accounts; zonder terminal om te bevestigen is --yes nodig.`,
  revertNeedsYesHint: (p) => `Bekijk het met \`basishub sync revert ${p.runId} --dry-run\` en voer dan \`basishub sync revert ${p.runId} --yes\` uit.`,
  revertHubChanged: () => 'De hub is gewijzigd terwijl het terugdraaien werd bevestigd; er is niets gewijzigd.',
  revertHubChangedHint: (p) => `Bekijk het opnieuw met \`basishub sync revert ${p.runId} --dry-run\`.`,
  backupDirNeeded: () => 'backup-dir heeft een map nodig.',
  backupKeepNumber: () => 'backup-keep moet een geheel getal zijn van minstens 1.',
  noSetting: (p) => `Er is geen instelling "${p.name}".`,
  theSettingsAre: (p) => `De instellingen zijn: ${p.names}.`,
  sourcesChangedMeanwhile: () =>
    'De bronsystemen zijn gewijzigd (toegevoegd, aangepast of verwijderd) terwijl deze synchronisatie liep; er is niets gewijzigd.',
  sourcesChangedMeanwhileHint: () => 'Start `basishub sync run` opnieuw: die leest de exports met de bronsystemen zoals ze nu zijn.',
  phaseWriting: () => 'wegschrijven',
  phaseReplanning: () => 'de hub veranderde tijdens het plannen; opnieuw plannen',
  phaseChecking: () => 'de hub controleren',
  notAHubOpen: (p) => `${p.file} kon niet worden geopend als basishub-database (${p.why}).`,
  notAHubDamagedHint: () => 'Geef het pad van je hub met --db. Is het wel je hub, dan is hij beschadigd: zie `basishub check --db <pad>`.',
  controlChar: (p) => `${p.label} bevat een stuurteken (${p.char} op positie ${p.at}); ${p.why}, dus het moet gewone tekst zijn.`,
  controlCharHint: () => 'Typ het opnieuw zonder dat teken.',
  nothingVisible: (p) => `${p.label} ${p.empty ? 'is leeg' : 'bevat niets zichtbaars (alleen spaties of tekens zonder breedte)'}; ${p.why}.`,
  nothingVisibleHint: () => 'Typ leesbare tekst.',
  whyActor: () => 'het logboek moet zeggen wie het deed',
  whyReason: () => 'elke coördinator moet later kunnen lezen waarom',
  theReason: () => 'De reden',
  importNotUtf8: (p) => `${p.file} is geen UTF-8-tekst.`,
  importNotUtf8Hint: () => 'Sla het op als "CSV UTF-8" (Excel) of als UTF-8-JSON.',
  importNoFile: (p) =>
    p.code === 'ENOENT'
      ? `Het bestand ${p.file} bestaat niet.`
      : p.code === 'EISDIR'
        ? `${p.file} is een map, geen bestand.`
        : `${p.file} kan niet gelezen worden: ${p.why}`,
  importEmpty: (p) => `${p.file} is leeg.`,
  importHeaderHint: () => 'De eerste regel moet de kolommen `user,reason,until` noemen.',
  importRowsRefused: (p) => `${p.file}: ${num(p.n)} ${p.n === 1 ? 'regel kan' : 'regels kunnen'} niet worden ingelezen; er is niets geschreven.\n${p.lines}`,
  importRowsRefusedHint: () => 'Herstel deze regels (of laat ze weg) en lees het bestand opnieuw in; de andere regels zijn in orde.',
  importWhere: (p) => `  ${p.json ? 'element' : 'regel'} ${p.line}${p.user ? ` (${p.user})` : ''}`,
  importNoUser: () => 'geen account: geef een accountnummer, e-mailadres of bron:externalId',
  importTwice: (p) => `hetzelfde account als ${p.json ? 'element' : 'regel'} ${p.first}: elk account mag maar één keer voorkomen`,
  sourceNameBad: (p) => `"${p.name}" kan geen naam van een bronsysteem zijn.`,
  sourceNameBadHint: () =>
    'Gebruik letters, cijfers, punt, streepje of liggend streepje (geen dubbele punt: die scheidt bron en nummer in verwijzingen naar accounts).',
  sourceExists: (p) => `Er is al een bronsysteem "${p.name}".`,
  sourceExistsHint: (p) => `Wijzig het met \`basishub sources edit ${p.name} …\`.`,
  sourceNeedsFile: () => '`sources add` heeft --file <pad van de export> nodig.',
  sourceNotAdded: (p) => `${p.problem}. Het bronsysteem is niet toegevoegd.`,
  sourceNotAddedHint: () => 'Geef de kolom die een persoon aanwijst met `--map externalId=<kolom>` (en de andere met `--map <veld>=<kolom>`).',
  noSourcesRegistered: () => 'Er zijn geen bronsystemen geregistreerd.',
  hubWhole: (p) => `${p.file} is in orde: de integriteitscontrole van SQLite en de regels van de hub vonden niets mis.`,
  runRef: (p) => ` (synchronisatie ${p.runId})`,
  targetAdded: (p) => `Doelsysteem ${p.name} toegevoegd.`,
  targetDryRunHint: (p) => `Bekijk wat het zou krijgen met \`basishub publish --target ${p.name} --dry-run\`.`,
  noTargetsYet: () => 'Nog geen doelsystemen. Voeg er een toe met `basishub targets add <naam> --kind scim|sds-v2.1|oneroster-1.1|csv …`.',
  targetChanged: (p) => `Doelsysteem ${p.name} gewijzigd.`,
  targetMoved: () =>
    'Het wijst nu ergens anders heen: de volgende publicatie stuurt elk account opnieuw (een SCIM-dienst die ze al heeft, matcht ze op externalId, zonder dubbele accounts).',
  targetRemoved: (p) => `Doelsysteem ${p.name} verwijderd; de accounts erin zijn gebleven zoals ze waren.`,

  // ---- sources show and edit (src/cli/commands/sources.ts) ---------------------------------------
  sourceLabel: (p) =>
    ({
      file: 'bestand',
      format: 'formaat',
      match: 'matchen op',
      priority: 'prioriteit',
      'grace days': 'wachtdagen',
      dates: 'datums',
      map: 'kolommen',
      links: 'koppelingen',
      detected: 'herkend',
    })[p.name],
  sourceCsvFormat: (p) => `, scheidingsteken ${p.delimiter}, tekenset ${p.encoding}`,
  sourceMapNone: () => '(kolomnamen zoals de velden)',
  sourceDetected: (p) => `scheidingsteken: ${p.delimiter}; tekenset: ${p.encoding}${p.bom ? ' met BOM' : ''}; kolommen: ${p.columns}`,
  delimiterWord: (p) => ({ comma: 'komma', semicolon: 'puntkomma', tab: 'tab', auto: 'automatisch' })[p.name] ?? p.name,
  settingChange: (p) => `${p.setting} van ${p.from} naar ${p.to}`,

  // ---- bestanden die iemand noemt, en de schijf (src/store/outfile.ts, failures.ts, src/app/backup.ts)
  outputEmpty: (p) => `${p.flag} is leeg.`,
  outputEmptyHint: () => 'Geef een bestandsnaam, of - voor stdout.',
  outputWhat: (p) =>
    ({ 'a backup': 'een reservekopie', 'the backup': 'de reservekopie', 'the export': 'de export', 'the output': 'de uitvoer' })[p.what] ?? p.what,
  outputKind: (p) => ({ folder: 'een map', fifo: 'een named pipe (FIFO)', socket: 'een socket', device: 'een apparaat', other: 'geen gewoon bestand' })[p.kind],
  outputNotFile: (p) => `${p.file} is ${p.kind}, geen bestand; ${p.what} wordt daar niet geschreven.`,
  outputNotFileHint: (p) => `Geef bij ${p.flag} de naam van een gewoon bestand, of ${p.flag} - voor stdout.`,
  protectedFile: (p) =>
    ({
      hub: `de database van de hub ${p.file}`,
      '-wal': `het write-ahead-log van de hub ${p.file}`,
      '-shm': `het gedeeldegeheugenbestand van de hub ${p.file}`,
      '-journal': `het terugdraaijournaal van de hub ${p.file}`,
      attached: `een databasebestand dat in gebruik is (${p.file})`,
      open: `een bestand dat basishub open heeft (${p.file})`,
    })[p.kind],
  outputProtected: (p) => `${p.file} is ${p.name}; ${p.what} wordt daar niet overheen geschreven.`,
  outputProtectedHint: (p) => `Geef bij ${p.flag} een ander bestand.`,
  outputNoFolder: (p) => `De map ${p.dir} bestaat niet; er is niets geschreven.`,
  outputNoFolderHint: (p) => `Maak hem eerst aan, of geef bij ${p.flag} een ander pad.`,
  fileNotWritten: (p) => `${p.file} kon niet worden geschreven: ${p.why}. Er is niets gewijzigd.`,
  fileNotWrittenHint: () => 'Kies een plek waar je mag schrijven en waar genoeg ruimte is, en start de opdracht opnieuw.',
  storageWhy: (p) =>
    ({ full: 'de schijf is vol', readonly: 'het bestandssysteem is alleen-lezen', denied: 'geen toestemming', readonlyFile: 'het bestand is alleen-lezen' })[
      p.why
    ],
  hubUnwritable: (p) =>
    `${p.folder ? 'de map ervan' : 'het bestand'} ${p.readonly ? 'staat op een alleen-lezen bestandssysteem' : 'is niet schrijfbaar voor deze gebruiker'}`,
  hubNotWritten: (p) => `Er kon niet naar de hub ${p.file} worden geschreven: ${p.why}. Er is niets gewijzigd.`,
  hubNotWrittenHint: () =>
    'Maak ruimte vrij of maak de hub en zijn map schrijfbaar (SQLite zet de -wal- en -shm-bestanden naast de hub), en start de opdracht opnieuw.',
  hubDamaged: (p) => `De hub ${p.file} is beschadigd: ${p.what}.`,
  hubDamagedHint: () =>
    'Er is niets meer in geschreven. Bekijk wat er mis is met `basishub check`; zet daarna de laatste kopie terug die met `basishub backup` is gemaakt (kopieer hem over de hub terwijl er geen andere basishub-opdracht draait).',
  sqliteReports: (p) => `SQLite meldt "${p.message}"${p.nothingChanged ? '. Er is niets gewijzigd' : ''}`,
  outputExists: (p) => `${p.file} bestaat al; ${p.what} schrijft nooit over een bestand heen.`,
  outputExistsHint: (p) => `Geef --force om het te vervangen, of kies een andere ${p.flag}.`,
  backupDirNotFolder: (p) => `${p.dir} is geen map, dus de kopie van voor de synchronisatie kan daar niet heen; er is niets gewijzigd.`,
  backupDirNotFolderHint: () =>
    'Geef bij --backup-dir een map (die wordt gemaakt als hij niet bestaat), of wijzig de instelling met `basishub config set backup-dir <map>`.',
  keepNeedsDir: () => '--keep heeft een map nodig voor de kopieën.',
  keepNeedsDirHint: () => 'Geef --backup-dir <map>, of stel er een in met `basishub config set backup-dir <map>`.',

  // ---- exceptions import: het bestand en de regels; de opties van export (src/app/bulk.ts) -------
  importColumnTwice: (p) => `${p.file}: de kopregel heeft de kolom "${p.name}" ${p.n} keer.`,
  importColumnsMissing: (p) =>
    `${p.file}: in de kopregel ${p.missing.length > 1 ? 'ontbreken de kolommen' : 'ontbreekt de kolom'} ${p.missing.map((m) => `"${m}"`).join(' en ')} (gevonden: ${p.found.map((h) => `"${h}"`).join(', ') || 'niets'}).`,
  importColumnsHint: () => 'De eerste regel moet de kolommen `user,reason,until` noemen (`until` mag ontbreken).',
  importNotCsv: (p) => `${p.file}${p.line ? `:${p.line}` : ''}: geen leesbaar CSV-bestand (${p.why}).`,
  importNotCsvHint: () => 'Er is niets geschreven. Kijk naar de aanhalingstekens in en rond die regel.',
  importNotJson: (p) => `${p.file}: geen geldige JSON (${p.why}).`,
  importNotJsonHint: () => 'Er is niets geschreven. Een import in JSON is een lijst (array) van objecten met `user`, `reason` en `until`.',
  importNotArray: (p) => `${p.file}: de JSON moet een lijst (array) van objecten met \`user\`, \`reason\` en \`until\` zijn.`,
  importFieldCount: (p) =>
    `${p.n} velden waar de kopregel er ${p.header} heeft: een waarde met "${p.delimiter}" erin moet tussen dubbele aanhalingstekens staan`,
  importUntilLabel: () => 'einddatum (until)',
  importNotObject: () => 'geen object met `user`, `reason` en `until`',
  importUserType: () => 'user moet een tekst of een accountnummer zijn',
  importReasonType: () => 'reason moet een tekst zijn',
  importUntilType: () => 'einddatum (until) moet een datum zijn als "JJJJ-MM-DD", of null',
  exportDelimiterBad: (p) => `--delimiter moet "," of ";" zijn, niet "${p.value}".`,
  exportDelimiterBadHint: () => 'Nederlandse Excel leest ";" (--delimiter ";").',
  exportFormatBad: (p) => `--format moet csv of json zijn, niet "${p.value}".`,

  // ---- doelsystemen tonen en opsommen, publiceren (src/cli/commands/targets.ts, publish.ts, src/app/publish.ts)
  targetLabel: (p) =>
    ({
      url: 'url',
      token: 'token',
      groups: 'groepen',
      concurrency: 'tegelijk',
      output: 'uitvoer',
      acknowledged: 'bevestigd',
      published: 'gepubliceerd',
      pending: 'te doen',
    })[p.name],
  targetToken: (p) => `uit $${p.env} (gelezen bij het publiceren; nooit bewaard)`,
  targetGroups: (p) => (p.groups ? 'scholen en klassen als SCIM-groepen' : 'nee'),
  targetConcurrency: (p) => `${p.n} verzoeken, time-out ${p.timeout} s`,
  targetTokenUnset: (p) => `$${p.env} is in deze omgeving niet gezet`,
  targetTokenUnsetWarning: (p) => `De omgevingsvariabele ${p.env} is hier niet gezet; zet hem overal waar \`basishub publish\` draait (ook in cron).`,
  targetAcknowledged: (p) => `${num(p.active)} actief, ${num(p.inactive)} gedeactiveerd${p.last ? `; laatst op ${p.last}` : ''}`,
  targetNever: () => 'nooit',
  targetRunStatus: (p) =>
    ({ completed: 'voltooid', stopped: 'gestopt', failed: 'mislukt', running: 'bezig, of onderbroken (de volgende publicatie maakt het af)' })[p.status] ??
    p.status,
  targetPublished: (p) => `${p.at} door ${p.actor}: ${p.status}${p.stop ? ` (${p.stop})` : ''}`,
  targetFailures: (p) => `${num(p.n)} ${p.n === 1 ? 'fout' : 'fouten'}, de eerste: ${p.first}`,
  targetInLine: (p) => `niets: het doelsysteem is gelijk aan de hub (${accounts(p.n)})`,
  targetPending: (p) =>
    `${num(p.created)} aanmaken, ${num(p.updated)} bijwerken, ${num(p.deactivated)} deactiveren, ${num(p.reactivated)} heractiveren, ${num(p.deleted)} verwijderen; ${num(p.unchanged)} gelijk`,
  targetWhere: (p) => (p.scim ? `op ${p.place}` : `schrijft ${p.place}`),
  targetLastRun: (p) => `${p.at} ${p.status}`,
  publishTitle: (p) => `Doelsysteem ${p.name} (${p.kind})`,
  publishState: (p) => (p.dryRun ? 'proef, er is niets verstuurd' : p.status),
  publishForced: () => ' (voorbij de veiligheidsgrens, met --force)',
  publishApproved: (p) => ` (goedgekeurd plan ${p.plan})`,
  publishCount: (p) =>
    ({
      created: 'aangemaakt',
      updated: 'bijgewerkt',
      deactivated: 'gedeactiveerd',
      reactivated: 'geheractiveerd',
      deleted: 'verwijderd',
      unchanged: 'ongewijzigd',
      failed: 'mislukt',
    })[p.key] ?? p.key,
  publishGroupsLine: (p) => `groepen: ${p.counts}`,
  publishStop: (p) => `${p.dryRun ? 'zou stoppen' : 'gestopt'}: ${p.reason}`,
  publishGroup: (p) =>
    ({ create: 'Aangemaakt', update: 'Bijgewerkt', reactivate: 'Geheractiveerd', deactivate: 'Gedeactiveerd', delete: 'Verwijderd (gewist uit de hub)' })[
      p.action
    ] ?? p.action,
  publishMore: (p) => `… en nog ${p.n} (zie --json)`,
  publishListed: (p) => `(de eerste ${p.n} wijzigingen staan hier; de aantallen zijn volledig)`,
  publishMoreFailures: (p) => `… en nog ${p.n} fouten (zie --json)`,
  publishWrote: (p) => `geschreven: ${p.files}`,
  publishPlan: (p) => `plan ${p.plan}`,

  // ---- de aantallen en de vraag van sync revert; de betekenis van instellingen (src/cli/commands/revert.ts, backup.ts)
  revertCount: (p) =>
    ({
      revived: 'terug uit Verwijderde gebruikers',
      updated: 'teruggezet',
      deleted: 'aangemaakte accounts verwijderd',
      kept: 'niet aangeraakt (sindsdien gewijzigd)',
      notRevertible: 'kan niet ongedaan worden gemaakt',
      unchanged: 'al zoals ervoor',
    })[p.key] ?? p.key,
  revertQuestion: (p) => `Synchronisatie ${p.runId} terugdraaien: ${accounts(p.n)} terugzetten?`,
  revertRefusal: (p) => `Synchronisatie ${p.runId} terugdraaien vraagt om een bevestiging.`,
  settingMeaning: (p) =>
    ({
      'backup-dir': 'map voor de kopie van de hub die elke `sync run` maakt voordat hij schrijft',
      'backup-keep': 'hoeveel van die kopieën bewaard blijven (de oudste daarboven worden opgeruimd); standaard 7',
    })[p.name] ?? p.text,

  // ---- weigeringen van sources add/edit en targets add/edit (src/app/sources.ts, targets.ts) -------
  notOneOf: (p) =>
    `${({ format: 'Formaat', kind: 'Soort', match: 'Matchveld', encoding: 'Tekenset', field: 'Veld' } as Record<string, string>)[p.what]} "${p.value}" is niet een van: ${p.allowed}.`,
  mapNotPair: (p) => `--map "${p.entry}" is niet in de vorm veld=Kolom.`,
  mapFields: (p) => `Velden: ${p.fields}.`,
  delimiterOneChar: (p) => `--delimiter moet één teken zijn (of tab, comma, semicolon), niet "${p.value}".`,
  priorityWhole: () => '--priority moet een geheel getal zijn.',
  graceDaysWhole: () => '--grace-days moet een geheel aantal dagen zijn, 0 of meer.',
  targetScimNoOutput: () => 'Een SCIM-doelsysteem heeft een --url, geen --output.',
  targetFilesNoUrl: (p) =>
    `Een doelsysteem van soort ${p.kind} schrijft bestanden: geef --output <map${p.zip ? ' of .zip' : ''}>, geen --url, --token-env of --groups.`,
  targetTokenEnvName: (p) => `--token-env krijgt de naam van een omgevingsvariabele (zoals SCIM_TOKEN), niet "${p.value}".`,
  targetTokenEnvHint: () => 'Het token zelf wordt nooit bewaard: basishub leest het uit die variabele als het publiceert.',
  targetZipOnly: (p) => `Een doelsysteem van soort ${p.kind} schrijft een map; alleen oneroster-1.1 kan een .zip schrijven.`,
  targetScimNeeds: () => 'Een SCIM-doelsysteem heeft --url <basis-url> en --token-env <VARIABELE> nodig.',
  targetFilesNeed: (p) => `Een doelsysteem van soort ${p.kind} heeft --output <map${p.zip ? ' of .zip' : ''}> nodig.`,
  noTarget: (p) => `Er is geen doelsysteem "${p.name}".`,
  targetNameBad: (p) => `"${p.name}" kan geen naam van een doelsysteem zijn.`,
  targetNameBadHint: () => 'Gebruik letters, cijfers, punt, streepje of liggend streepje.',
  targetExists: (p) => `Er is al een doelsysteem "${p.name}".`,
  targetExistsHint: (p) => `Wijzig het met \`basishub targets edit ${p.name} …\`.`,
  targetNeedsKind: () => 'targets add heeft --kind scim|sds-v2.1|oneroster-1.1|csv nodig.',
  addTargetHint: () => 'Voeg er een toe met `basishub targets add <naam> --kind scim|sds-v2.1|oneroster-1.1|csv …`.',
  outputNeedsPath: () => '--output heeft een pad nodig.',
  theTargetsAre: (p) => `De doelsystemen zijn: ${p.names}.`,
  targetKindFixed: (p) => `De soort van een doelsysteem kan niet veranderen; verwijder ${p.name} en voeg het opnieuw toe.`,

  // ---- wat een andere opdracht intussen veranderde; het bestand en de koppelingen van een bron
  purgedMeanwhile: (p) => `Account #${p.id} bestaat niet meer (het is intussen gewist). Er is niets gewijzigd.`,
  deletedMeanwhile: (p) => `${p.account} is intussen verwijderd (${p.cause}); er is niets gewijzigd.`,
  ownedAgainMeanwhile: (p) =>
    `${p.account} is weer van de bron (een synchronisatie heeft het intussen gekoppeld); de volgende synchronisatie zou de wijziging terugzetten. Er is niets gewijzigd.`,
  ownedAgainHint: () => 'Wijzig het in het bronsysteem, of geef --force om het toch in de hub te wijzigen.',
  unlistedMeanwhile: (p) => `${p.account} staat niet (meer) op de uitzonderingenlijst. Er is niets gewijzigd.`,
  restoredMeanwhile: (p) => `${p.account} is niet (meer) verwijderd, dus er valt niets te herstellen. Er is niets gewijzigd.`,
  sourceFileMissing: (p) => `${p.file} bestaat nog niet; de synchronisatie heeft het nodig.`,
  sourceStillLinked: (p) =>
    `Bronsysteem ${p.name} heeft nog ${num(p.n)} ${p.n === 1 ? 'gekoppelde persoon' : 'gekoppelde personen'}; verwijderen zou hun accounts zonder deze bron laten.`,
  sourceStillLinkedHint: () =>
    'Geef --force om het toch te verwijderen: de koppelingen gaan weg, de accounts blijven (een account zonder koppeling is van de hub en wordt nooit door een synchronisatie verwijderd).',
  publishFailed: (p) =>
    `Publiceren naar ${p.targets} is mislukt voor ${num(p.n)} ${p.n === 1 ? 'onderdeel' : 'onderdelen'}. Wat het doelsysteem bevestigde, blijft staan; de volgende publicatie probeert de rest opnieuw.`,
  publishFailedHint: (p) => `De eerste fout: ${p.first}`,
  publishStopped: (p) => `Publiceren naar ${p.targets} is gestopt: ${p.reason}. Er is niets naartoe gestuurd.`,
  publishStoppedHint: (p) =>
    `Bekijk het met \`basishub publish --target ${p.name} --dry-run\`; klopt het, stuur dan precies dit plan met \`basishub publish --target ${p.name} --approve ${p.plan}\` (of sta meer toe met --max-deactivations <n>).`,
  publishNoTargets: () => 'Er zijn geen doelsystemen, dus er valt niets te publiceren.',
}));

function madeOnce(make: () => Catalogue): () => Catalogue {
  let made: Catalogue | undefined;
  return () => (made ??= make());
}

/** The options that `targets add` and `targets edit` share. */
function targetOptions(path: string): Record<string, string> {
  const texts: Record<string, string> = {
    '--kind': 'scim | sds-v2.1 | oneroster-1.1 | csv',
    '--url': 'SCIM: de basis-URL van de SCIM 2.0-dienst (https; http alleen naar een loopback-adres)',
    '--token-env': 'SCIM: de omgevingsvariabele met het bearer-token (het token wordt nooit bewaard)',
    '--groups': 'SCIM: publiceer ook scholen en klassen als SCIM-groepen',
    '--no-groups': 'SCIM: publiceer alleen gebruikers',
    '--concurrency': 'SCIM: zoveel verzoeken tegelijk (standaard 4)',
    '--timeout': 'SCIM: seconden voordat een verzoek wordt opgegeven (standaard 30)',
    '--output': 'bestanden: de map waar ze komen (oneroster-1.1: een map of een .zip)',
  };
  return Object.fromEntries(Object.entries(texts).map(([flag, text]) => [`${path}|${flag}`, text]));
}

/** The options that `sources add` and `sources edit` share. */
function sourceOptions(path: string): Record<string, string> {
  const texts: Record<string, string> = {
    '--file': 'het exportbestand (een map voor sds-v1, sds-v2.1 en oneroster-1.1)',
    '--format': 'csv | json | sds-v1 | sds-v2.1 | oneroster-1.1 (standaard: uit de bestandsnaam)',
    '--kind': 'hr | las | basispoort | other (hr betekent rol medewerker, las rol leerling)',
    '--match': 'hoe een nieuwe regel een bestaand account vindt: email | externalId | none (standaard email)',
    '--map':
      'lees een veld uit een kolom met een andere naam; herhaalbaar. Velden: externalId, givenName, prefix, familyName, email, role, organisation, group, startDate, endDate (externalId is verplicht)',
    '--priority': 'de hoogste wint als bronnen elkaar tegenspreken (standaard per soort: hr 30, las 20, basispoort 10, other 0)',
    '--delimiter': 'scheidingsteken voor CSV: een teken, tab, comma, semicolon, of auto (herkennen)',
    '--encoding': 'utf-8 | windows-1252 | auto (herkennen)',
    '--date-format':
      'formaat van startDate/endDate, bijvoorbeeld dd-mm-yyyy (tekens yyyy, mm, dd, hoofdletters of niet; standaard auto: ISO, dd-mm-yyyy of yyyymmdd)',
    '--grace-days': 'dagen dat een account dat geen bron meer aanbiedt wacht voor het verwijderd wordt (standaard 0)',
  };
  return Object.fromEntries(Object.entries(texts).map(([flag, text]) => [`${path}|${flag}`, text]));
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** YYYY-MM-DD as 30-11-2026. */
function day(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

/** commander's own usage errors (its texts are English), as they read in Dutch; anything else as it is. */
function dutchCommander(message: string): string {
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^missing required argument '(.+)'$/, (a) => `het argument '${a}' ontbreekt.`],
    [/^option '(.+)' argument missing$/, (o) => `bij de optie '${o}' ontbreekt de waarde.`],
    [/^required option '(.+)' not specified$/, (o) => `de optie '${o}' is verplicht.`],
    [/^unknown option '([^']+)'/, (o) => `onbekende optie '${o}'`],
    [/^unknown command '([^']+)'/, (c) => `onbekende opdracht '${c}'`],
    [
      /^too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (c, n, got) => `te veel argumenten${c ? ` voor '${c}'` : ''}: verwacht ${n}, gekregen ${got}.`,
    ],
    [/^option '(.+)' argument '(.*)' is invalid\. ?/, (o, v) => `de waarde '${v}' van de optie '${o}' is ongeldig. `],
    [/^command-argument value '(.*)' is invalid for argument '(.+)'\. ?/, (v, a) => `de waarde '${v}' van het argument '${a}' is ongeldig. `],
  ];
  let text = message;
  for (const [re, make] of rules) {
    const m = re.exec(text);
    if (m) {
      text = make(...m.slice(1).map((x) => x ?? '')) + text.slice(m[0].length);
      break;
    }
  }
  return text
    .replace(/\(Did you mean one of (.+)\?\)/, '(Bedoel je een van $1?)')
    .replace(/\(Did you mean (.+)\?\)/, '(Bedoel je $1?)')
    .replace(/ cannot be used with /, ' kan niet samen met ');
}
