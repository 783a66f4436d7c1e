/**
 * Word lists for the benchmark's synthetic exports (src/bench/generate.ts): Dutch given names, family
 * names with their tussenvoegsel, and the parts of school names. Some carry diacritics (Zoë, Şahin) and
 * apostrophes ('t Hart) on purpose: real exports do.
 */

export const GIVEN_NAMES: readonly string[] = [
  'Jan', 'Pieter', 'Kees', 'Henk', 'Willem', 'Johannes', 'Cornelis', 'Hendrik', 'Gerrit', 'Dirk',
  'Thomas', 'Daan', 'Sem', 'Lucas', 'Levi', 'Finn', 'Milan', 'Noah', 'Luuk', 'Bram',
  'Jesse', 'Thijs', 'Ruben', 'Stijn', 'Lars', 'Tim', 'Sven', 'Joris', 'Maarten', 'Bas',
  'Koen', 'Niels', 'Jeroen', 'Mark', 'Erik', 'Rob', 'Sander', 'Vincent', 'Wouter', 'Hans',
  'Gert-Jan', 'Jan-Willem', 'Mohammed', 'Ahmed', 'Youssef', 'Mehmet', 'Emre', 'Rachid', 'Rik', 'Teun',
  'Anouk', 'Emma', 'Julia', 'Sophie', 'Lotte', 'Fleur', 'Sanne', 'Anna', 'Eva', 'Lisa',
  'Iris', 'Noor', 'Sara', 'Fenna', 'Tess', 'Zoë', 'Chloë', 'Anaïs', 'Daniëlle', 'Mirjam',
  'Marieke', 'Ingrid', 'Ria', 'Annemieke', 'Petra', 'Linda', 'Monique', 'Esther', 'Femke', 'Inge',
  'Wendy', 'Kim', 'Joyce', 'Fatima', 'Samira', 'Yasmina', 'Aylin', 'Elif', 'Saskia', 'Marloes',
  'Hanneke', 'Jolanda', 'Ilse', 'Nicole', 'Bianca', 'Karin', 'Anja', 'Astrid', 'Renée', 'Noëlle',
  'Joëlle', 'Chantal', 'Desirée', 'Geertje', 'Roos', 'Maud', 'Lieke', 'Jet', 'Isa', 'Mila',
  'Evi', 'Nina', 'Yara', 'Lina', 'Hatice', 'Büşra', 'Ilona', 'Mariska', 'Froukje', 'Sietske',
];

/** [tussenvoegsel, family name]; the list is weighted by repetition (common names occur more often). */
export const FAMILY_NAMES: readonly (readonly [string, string])[] = [
  ['', 'Jansen'], ['de', 'Jong'], ['de', 'Vries'], ['van den', 'Berg'], ['van', 'Dijk'], ['', 'Bakker'],
  ['', 'Janssen'], ['', 'Visser'], ['', 'Smit'], ['', 'Meijer'], ['de', 'Boer'], ['', 'Mulder'],
  ['de', 'Groot'], ['', 'Bos'], ['', 'Vos'], ['', 'Peters'], ['', 'Hendriks'], ['van', 'Leeuwen'],
  ['', 'Dekker'], ['', 'Brouwer'], ['de', 'Wit'], ['', 'Dijkstra'], ['', 'Smits'], ['de', 'Graaf'],
  ['van der', 'Meer'], ['van der', 'Linden'], ['', 'Kok'], ['', 'Jacobs'], ['de', 'Haan'], ['', 'Vermeulen'],
  ['van den', 'Heuvel'], ['van der', 'Veen'], ['van den', 'Broek'], ['de', 'Bruijn'], ['de', 'Bruin'], ['van der', 'Heijden'],
  ['', 'Schouten'], ['van', 'Beek'], ['', 'Willems'], ['van', 'Vliet'], ['van de', 'Ven'], ['', 'Hoekstra'],
  ['', 'Maas'], ['', 'Verhoeven'], ['', 'Koster'], ['van', 'Dam'], ['van der', 'Wal'], ['', 'Prins'],
  ['', 'Blom'], ['', 'Huisman'], ['', 'Peeters'], ['de', 'Koning'], ['', 'Kuipers'], ['van', 'Wijk'],
  ['', 'Postma'], ['', 'Kramer'], ['', 'Kuijpers'], ['van den', 'Bosch'], ['', 'Wiersma'], ['de', 'Ruiter'],
  ['', 'Claassen'], ['', 'Gerritsen'], ['', 'Driessen'], ['', 'Rutten'], ['', 'Hermans'], ['de', 'Lange'],
  ['ter', 'Horst'], ['ter', 'Haar'], ['ter', 'Beek'], ['ten', 'Brink'], ['ten', 'Cate'], ["'t", 'Hart'],
  ["'t", 'Hoen'], ["in 't", 'Veld'], ["van 't", 'Hof'], ['el', 'Amrani'], ['el', 'Haddou'], ['el', 'Idrissi'],
  ['el', 'Khatib'], ['', 'Yılmaz'], ['', 'Kaya'], ['', 'Demir'], ['', 'Şahin'], ['', 'Öztürk'],
  ['', 'Çelik'], ['', 'Bulut'], ['', 'Tahiri'], ['', 'Bouzid'], ['', 'Nguyen'], ['', 'Bouali'],
  ['van der', 'Velden'], ['ter', 'Kamp'], ['van de', 'Pol'], ['', 'Kerkhof'], ['', 'Aalbers'], ['', 'Verbeek'],
  ['', 'Bosma'], ['', 'Zwart'], ['', 'Stam'], ['', 'Timmermans'], ['van den', 'Boom'], ['van der', 'Zanden'],
  ['van der', 'Meulen'], ['van der', 'Laan'], ['van den', 'Brink'], ['', 'Pijl'], ['', 'Oosterhuis'], ['', 'IJzerman'],
  ['', 'Jansen-de Graaf'], ['', 'Smit-van Dijk'], ['', "D'Hondt"], ['', 'Verschuren'], ['', 'Van Rooij'], ['den', 'Hartog'],
];

export const SCHOOL_TYPES: readonly string[] = [
  'OBS', 'OBS', 'OBS', 'CBS', 'CBS', 'CBS', 'RKBS', 'RKBS', 'PCBS', 'IKC', 'SBO', 'Basisschool', 'Kindcentrum',
];

export const SCHOOL_NAMES: readonly string[] = [
  'De Regenboog', 'De Vlinder', 'Het Kompas', 'De Wegwijzer', 'De Klimop', "'t Palet", 'De Fontein', 'De Zonnewijzer',
  'Het Anker', 'De Sterrenboog', 'De Springplank', 'De Kameleon', 'Sint Jozef', 'Sint Maarten', 'Prins Willem-Alexander',
  'Koningin Beatrix', 'Mariaschool', 'De Wilgenhoek', 'De Horizon', 'Het Mozaïek', 'De Bron', 'De Ark', 'De Schakel',
  'De Wereldwijzer', 'Het Startpunt', 'Het Kleurrijk', 'De Piramide', 'De Triangel', "'t Schrijverke", 'De Windroos',
  'Het Octaaf', 'Dr. Schaepmanschool', 'Willibrordus', 'De Tweemaster', 'Het Zonnelied', 'De Meander', 'Het Baken',
  'De Duizendpoot', 'De Kiem', 'Het Talent', 'De Ontdekking', 'Het Klokhuis', 'De Esdoorn', 'De Linde', 'Het Kasteel',
];

export const TEAMS: readonly string[] = [
  'Groep 1/2', 'Groep 1/2', 'Groep 3', 'Groep 4', 'Groep 5', 'Groep 6', 'Groep 7', 'Groep 8', 'Groep 3/4', 'Groep 5/6',
  'Groep 7/8', 'Directie', 'IB', 'Onderwijsondersteuning', 'Invalpool', 'Administratie', 'Conciërge', 'Vakleerkracht gym',
];
