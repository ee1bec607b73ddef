<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name></name>
    <message>
        <location filename="../import_wizard.py" line="50"/>
        <source>Demandes de transport (export hospitalier)</source>
        <translation>Transport requests (hospital export)</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="51"/>
        <source>Établissements de soins</source>
        <translation>Care sites</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="52"/>
        <source>Parc des transporteurs (véhicules)</source>
        <translation>Carriers&apos; fleet (vehicles)</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="74"/>
        <source>fichier illisible : {0}</source>
        <translation>unreadable file: {0}</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="130"/>
        <source>Importer un fichier</source>
        <translation>Import a file</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="178"/>
        <source>Fichier à importer</source>
        <translation>File to import</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="179"/>
        <source>Un export XLSX ou CSV : demandes, établissements ou flotte.</source>
        <translation>An XLSX or CSV export: requests, care sites or fleet.</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="185"/>
        <source>chemin du fichier .xlsx ou .csv</source>
        <translation>path of the .xlsx or .csv file</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="187"/>
        <source>Parcourir…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="193"/>
        <source>Ne garder que les demandes du {0}</source>
        <translation>Keep only the requests of {0}</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="198"/>
        <source>Contenu :</source>
        <translation>Contents:</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="199"/>
        <source>Fichier :</source>
        <translation>File:</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="207"/>
        <source>Choisir un fichier</source>
        <translation>Choose a file</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="207"/>
        <source>Tableurs (*.xlsx *.csv);;Tous (*)</source>
        <translation>Spreadsheets (*.xlsx *.csv);;All (*)</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="222"/>
        <source>Colonnes</source>
        <translation>Columns</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="224"/>
        <source>Vérifiez ce que contient chaque colonne ; changez-le dans sa liste si besoin.</source>
        <translation>Check what each column holds; change it in its list if needed.</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="279"/>
        <source>— ignorée —</source>
        <translation>— ignored —</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="323"/>
        <source>Colonnes obligatoires manquantes : {0}</source>
        <translation>Required columns missing: {0}</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="389"/>
        <source>Vérification</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="393"/>
        <source>Chaque ligne est vérifiée comme pour l&apos;import ; rien n&apos;est encore enregistré.</source>
        <translation>Every row is checked as the import will check it; nothing is stored yet.</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="396"/>
        <source>Ligne</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="396"/>
        <source>Colonne</source>
        <translation>Column</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="396"/>
        <source>Raison</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="390"/>
        <source>Vérification en cours…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="408"/>
        <source>{0} lignes lues : {1} à importer, {2} rejetées, {3} ignorées, {4} à vérifier.</source>
        <translation>{0} rows read: {1} to import, {2} rejected, {3} skipped, {4} to review.</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="391"/>
        <source>Fichier inutilisable : {0}</source>
        <translation>Unusable file: {0}</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="437"/>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="438"/>
        <source>Import en cours…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="449"/>
        <source>Correspondance des colonnes mémorisée pour ce format de fichier.</source>
        <translation>Column mapping remembered for this file format.</translation>
    </message>
    <message>
        <location filename="../import_wizard.py" line="439"/>
        <source>Import refusé, rien n&apos;a été enregistré : {0}</source>
        <translation>Import refused, nothing was stored: {0}</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="38"/>
        <source>Pas encore de plan pour ce jour</source>
        <translation>No plan for this day yet</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="43"/>
        <source>Servies : {0} / {1}</source>
        <translation>Served: {0} / {1}</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="46"/>
        <source>{0} km (seuls : {1} km, × {2})</source>
        <translation>{0} km (solo: {1} km, × {2})</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="53"/>
        <source>À vide : {0} % (seuls : {1} %)</source>
        <translation>Empty: {0} % (solo: {1} %)</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="59"/>
        <source>Partagés : {0} %</source>
        <translation>Shared: {0} %</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="62"/>
        <source>Assurance Maladie : {0} € (seuls : {1} €)</source>
        <translation>Assurance Maladie: {0} € (solo: {1} €)</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="68"/>
        <source>Aucune infraction</source>
        <translation>No rule broken</translation>
    </message>
    <message>
        <location filename="../kpi_strip.py" line="70"/>
        <source>{0} infraction(s)</source>
        <translation>{0} rule(s) broken</translation>
    </message>
    <message>
        <location filename="../labels.py" line="11"/>
        <source>Taxi</source>
        <translation>Taxi</translation>
    </message>
    <message>
        <location filename="../labels.py" line="12"/>
        <source>VSL</source>
        <translation>VSL</translation>
    </message>
    <message>
        <location filename="../labels.py" line="13"/>
        <source>Ambulance</source>
        <translation>Ambulance</translation>
    </message>
    <message>
        <location filename="../labels.py" line="19"/>
        <source>administrateur</source>
        <translation>administrator</translation>
    </message>
    <message>
        <location filename="../labels.py" line="20"/>
        <source>régulateur</source>
        <translation>regulator</translation>
    </message>
    <message>
        <location filename="../labels.py" line="21"/>
        <source>répartiteur de transporteur</source>
        <translation>carrier dispatcher</translation>
    </message>
    <message>
        <location filename="../labels.py" line="27"/>
        <location filename="../roster_model.py" line="42"/>
        <source>Assis</source>
        <translation>Seated</translation>
    </message>
    <message>
        <location filename="../labels.py" line="28"/>
        <location filename="../roster_model.py" line="43"/>
        <source>Allongé</source>
        <translation>Lying</translation>
    </message>
    <message>
        <location filename="../labels.py" line="29"/>
        <location filename="../roster_model.py" line="44"/>
        <source>Fauteuil</source>
        <translation>Wheelchair</translation>
    </message>
    <message>
        <location filename="../labels.py" line="35"/>
        <source>Aller</source>
        <translation>Outbound</translation>
    </message>
    <message>
        <location filename="../labels.py" line="36"/>
        <source>Retour</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../labels.py" line="37"/>
        <location filename="../labels.py" line="51"/>
        <source>Transfert</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../labels.py" line="43"/>
        <source>Dialyse</source>
        <translation>Dialysis</translation>
    </message>
    <message>
        <location filename="../labels.py" line="44"/>
        <source>Chimiothérapie</source>
        <translation>Chemotherapy</translation>
    </message>
    <message>
        <location filename="../labels.py" line="45"/>
        <source>Radiothérapie</source>
        <translation>Radiotherapy</translation>
    </message>
    <message>
        <location filename="../labels.py" line="46"/>
        <source>SMR</source>
        <translation>Rehabilitation</translation>
    </message>
    <message>
        <location filename="../labels.py" line="47"/>
        <source>Hôpital de jour</source>
        <translation>Day hospital</translation>
    </message>
    <message>
        <location filename="../labels.py" line="48"/>
        <source>Consultation</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../labels.py" line="49"/>
        <source>Hospitalisation</source>
        <translation>Admission</translation>
    </message>
    <message>
        <location filename="../labels.py" line="50"/>
        <source>Sortie d&apos;hospitalisation</source>
        <translation>Discharge</translation>
    </message>
    <message>
        <location filename="../labels.py" line="52"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../labels.py" line="58"/>
        <source>Planifiée</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="59"/>
        <source>Non affectée</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="60"/>
        <source>Non planifiable</source>
        <translation>Cannot be planned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="61"/>
        <source>À planifier</source>
        <translation>To plan</translation>
    </message>
    <message>
        <location filename="../labels.py" line="70"/>
        <source>Proposée</source>
        <translation>Proposed</translation>
    </message>
    <message>
        <location filename="../labels.py" line="71"/>
        <source>Acceptée</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../labels.py" line="72"/>
        <source>Refusée</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../labels.py" line="73"/>
        <source>Expirée</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../labels.py" line="74"/>
        <source>Retirée</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <location filename="../labels.py" line="75"/>
        <source>Effectuée</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../labels.py" line="76"/>
        <source>Annulée</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="77"/>
        <location filename="../main_window.py" line="119"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="80"/>
        <location filename="../main_window.py" line="123"/>
        <source>Jour : </source>
        <translation>Day: </translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="87"/>
        <source>À répondre</source>
        <translation>To answer</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="87"/>
        <source>En cours</source>
        <translation>In hand</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="92"/>
        <source>Accepter</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="94"/>
        <source>Refuser…</source>
        <translation>Refuse…</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="97"/>
        <source>Refuser la tournée…</source>
        <translation>Refuse the route…</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="99"/>
        <location filename="../carrier_window.py" line="279"/>
        <source>Tout accepter</source>
        <translation>Accept all</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="101"/>
        <source>Effectué</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="129"/>
        <source>Missions</source>
        <translation>Missions</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="170"/>
        <source>Lecture impossible</source>
        <translation>Cannot read</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="182"/>
        <source>Missions ({0} à répondre)</source>
        <translation>Missions ({0} to answer)</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="184"/>
        <source>Régul — {0} — {1}</source>
        <translation>Régul — {0} — {1}</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="193"/>
        <source>Nouvelles propositions ou changements reçus</source>
        <translation>New proposals or changes received</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="236"/>
        <location filename="../carrier_window.py" line="243"/>
        <source>Sélectionnez des missions proposées</source>
        <translation>Select proposed missions</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="254"/>
        <source>Sélectionnez une mission du véhicule</source>
        <translation>Select one of the vehicle&apos;s missions</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="275"/>
        <source>Aucune proposition en attente</source>
        <translation>No proposal waiting</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="280"/>
        <source>Accepter les {0} propositions en attente ?</source>
        <translation>Accept the {0} waiting proposals?</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="295"/>
        <source>Sélectionnez des missions acceptées</source>
        <translation>Select accepted missions</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="301"/>
        <source>Motif du refus des {0} missions de {1} :</source>
        <translation>Reason for refusing the {0} missions of {1}:</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="303"/>
        <source>Motif du refus ({0} mission(s)) :</source>
        <translation>Reason for the refusal ({0} mission(s)):</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="305"/>
        <location filename="../carrier_window.py" line="307"/>
        <source>Refuser</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="307"/>
        <source>Un refus doit être motivé.</source>
        <translation>A refusal needs a reason.</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="315"/>
        <source>Réponse refusée</source>
        <translation>Answer refused</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="130"/>
        <source>Importer…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="132"/>
        <source>Demandes, établissements ou flotte depuis un tableur</source>
        <translation>Requests, care sites or fleet from a spreadsheet</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="135"/>
        <source>Optimiser</source>
        <translation>Optimise</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="138"/>
        <source>Planifier la journée, en gardant ce qui est verrouillé</source>
        <translation>Plan the day, keeping what is locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="141"/>
        <source>Vérifier</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="143"/>
        <source>Relire le plan et vérifier chaque règle</source>
        <translation>Reload the plan and check every rule</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="157"/>
        <source>Filtrer : patient, commune, soin, véhicule…</source>
        <translation>Filter: patient, town, care, vehicle…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183"/>
        <source>Demandes</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="134"/>
        <location filename="../main_window.py" line="188"/>
        <source>Carte</source>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="140"/>
        <location filename="../main_window.py" line="197"/>
        <source>Chronologie des véhicules</source>
        <translation>Vehicle timeline</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="211"/>
        <source>Flotte du jour</source>
        <translation>Today&apos;s fleet</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216"/>
        <source>Règles enfreintes</source>
        <translation>Broken rules</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="225"/>
        <source>Indicateurs</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <location filename="../carrier_window.py" line="148"/>
        <location filename="../main_window.py" line="236"/>
        <source>Affichage</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="246"/>
        <source>Édition</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="36"/>
        <source>Connexion à Régul</source>
        <translation>Sign in to Régul</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="74"/>
        <source>Où sont les données ?</source>
        <translation>Where is the data?</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="77"/>
        <source>Un poste seul garde ses données dans un fichier sur cet ordinateur. Les postes d&apos;un centre partagent une base PostgreSQL sur un serveur.</source>
        <translation>A single desk keeps its data in a file on this computer. The desks of a centre share a PostgreSQL database on a server.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="82"/>
        <source>Sur ce poste (fichier local)</source>
        <translation>On this desk (local file)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="84"/>
        <source>Sur le serveur partagé du centre (PostgreSQL)</source>
        <translation>On the centre&apos;s shared server (PostgreSQL)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="96"/>
        <source>nom ou adresse du serveur</source>
        <translation>server name or address</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="111"/>
        <source>Serveur</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="112"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="113"/>
        <source>Base</source>
        <translation>Database</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="114"/>
        <location filename="../first_run.py" line="248"/>
        <location filename="../login_dialog.py" line="50"/>
        <source>Identifiant</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="115"/>
        <location filename="../first_run.py" line="250"/>
        <location filename="../login_dialog.py" line="51"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="116"/>
        <source>Chiffrement (TLS)</source>
        <translation>Encryption (TLS)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="117"/>
        <source>Tester la connexion</source>
        <translation>Test the connection</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="126"/>
        <source>Serveur partagé</source>
        <translation>Shared server</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="164"/>
        <source>Renseignez le serveur, la base et l&apos;identifiant.</source>
        <translation>Fill in the server, the database and the login.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="200"/>
        <source>si le serveur le propose</source>
        <translation>if the server offers it</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="201"/>
        <source>exigé</source>
        <translation>required</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="202"/>
        <source>exigé, certificat du serveur vérifié</source>
        <translation>required, server certificate verified</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="203"/>
        <source>désactivé</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="209"/>
        <source>Connexion réussie : base vide, Régul y créera ses tables.</source>
        <translation>Connected: empty database, Régul will create its tables.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="210"/>
        <source>Connexion réussie : base à jour, {0} demandes de transport.</source>
        <translation>Connected: database up to date, {0} transport requests.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="211"/>
        <source>Connexion réussie : le schéma de la base sera mis à jour.</source>
        <translation>Connected: the database schema will be upgraded.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="212"/>
        <source>Base trop récente pour cette version de Régul.</source>
        <translation>Database too recent for this version of Régul.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="219"/>
        <source>Vous travaillerez en tant que « {0} » ({1}).</source>
        <translation>You will work as “{0}” ({1}).</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="231"/>
        <source>Qui travaille sur ce poste ?</source>
        <translation>Who works at this desk?</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="247"/>
        <source>Rôle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="249"/>
        <source>Nom affiché</source>
        <translation>Display name</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="251"/>
        <source>Confirmation</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="275"/>
        <source>Créez le compte administrateur de ce poste.</source>
        <translation>Create this desk&apos;s administrator account.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="278"/>
        <source>Le premier compte d&apos;une base en est l&apos;administrateur : il régule, et il crée ensuite les comptes des autres régulateurs et des répartiteurs des transporteurs (commande « regul users add »). Le mot de passe sera demandé à chaque ouverture de la console.</source>
        <translation>The first account of a database is its administrator: it regulates, and then creates the accounts of the other regulators and of the carriers&apos; dispatchers (command “regul users add”). The password will be asked each time the console opens.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="286"/>
        <source>Cette base a déjà des comptes.</source>
        <translation>This database already has accounts.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="288"/>
        <source>Vous vous identifierez avec votre compte à l&apos;ouverture de la console.</source>
        <translation>You will sign in with your account when the console opens.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="290"/>
        <source>celui de votre compte</source>
        <translation>your account&apos;s</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="293"/>
        <source>Le serveur du centre connaît votre compte.</source>
        <translation>The centre&apos;s server knows your account.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="296"/>
        <source>Sur un serveur partagé, votre identifiant est votre compte PostgreSQL : le serveur décide de ce que vous voyez et modifiez. Votre mot de passe sera demandé à chaque ouverture de la console ; il n&apos;est pas enregistré.</source>
        <translation>On a shared server, your login is your PostgreSQL account: the server decides what you see and change. Your password will be asked each time the console opens; it is not stored.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="315"/>
        <source>Les deux mots de passe diffèrent.</source>
        <translation>The two passwords differ.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="340"/>
        <source>Département du centre</source>
        <translation>The centre&apos;s département</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="343"/>
        <source>Il donne le tarif kilométrique des taxis des trajets dont l&apos;adresse n&apos;a pas de code postal, et les jours fériés locaux.</source>
        <translation>It gives the taxi rate per km of the trips whose address has no postcode, and the local public holidays.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="351"/>
        <source>Choisissez…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="399"/>
        <source>Taxi : {0} € par km au tarif de ce département (barème du {1}).</source>
        <translation>Taxi: {0} € per km at this département&apos;s rate (tariff of {1}).</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="401"/>
        <source>Taxi : {0} € par km, tarif par défaut de Régul (barème du {1}).</source>
        <translation>Taxi: {0} € per km, Régul&apos;s default rate (tariff of {1}).</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="411"/>
        <source>Journée de démonstration</source>
        <translation>Demo day</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="412"/>
        <source>Pour essayer la console avant d&apos;importer vos propres demandes.</source>
        <translation>To try the console before importing your own requests.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="414"/>
        <source>Charger une journée de démonstration ({0} demandes fictives dans le Nord)</source>
        <translation>Load a demo day ({0} fictitious requests in the Nord)</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="434"/>
        <source>Cette base contient déjà des demandes : la démonstration n&apos;y est pas chargée.</source>
        <translation>This database already holds requests: the demo is not loaded into it.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="439"/>
        <source>Les fichiers d&apos;une journée (établissements, flotte des transporteurs, demandes) sont écrits puis importés comme de vrais fichiers, et la journée est planifiée en {0} secondes.</source>
        <translation>A day&apos;s files (care sites, carriers&apos; fleet, requests) are written then imported like real files, and the day is planned in {0} seconds.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="443"/>
        <source>Attention : elle sera visible de tout le centre.</source>
        <translation>Beware: the whole centre will see it.</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="450"/>
        <source>Bienvenue dans Régul</source>
        <translation>Welcome to Régul</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="452"/>
        <source>Suivant &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="453"/>
        <source>&lt; Précédent</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="454"/>
        <source>Terminer</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="490"/>
        <source>Configuration du poste…</source>
        <translation>Setting the desk up…</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="512"/>
        <source>Configuration impossible</source>
        <translation>Set-up failed</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="55"/>
        <source>Se connecter</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../first_run.py" line="455"/>
        <location filename="../login_dialog.py" line="56"/>
        <location filename="../main_window.py" line="247"/>
        <location filename="../main_window.py" line="274"/>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="61"/>
        <source>Identifiez-vous pour ouvrir la console.</source>
        <translation>Sign in to open the console.</translation>
    </message>
    <message>
        <location filename="../login_dialog.py" line="71"/>
        <source>Saisissez votre identifiant et votre mot de passe.</source>
        <translation>Enter your login and password.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>Rétablir</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258"/>
        <location filename="../main_window.py" line="500"/>
        <source>Verrouiller l&apos;affectation</source>
        <translation>Lock the assignment</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260"/>
        <location filename="../main_window.py" line="501"/>
        <source>Déverrouiller l&apos;affectation</source>
        <translation>Unlock the assignment</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="261"/>
        <location filename="../main_window.py" line="503"/>
        <source>Retirer du plan</source>
        <translation>Take out of the plan</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="262"/>
        <location filename="../main_window.py" line="502"/>
        <source>Affecter à un véhicule…</source>
        <translation>Assign to a vehicle…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="264"/>
        <source>Réoptimiser le reste (verrous gardés)</source>
        <translation>Re-optimise the rest (locks kept)</translation>
    </message>
    <message>
        <location filename="../panels.py" line="47"/>
        <source>Base locale : {0}</source>
        <translation>Local database: {0}</translation>
    </message>
    <message>
        <location filename="../panels.py" line="49"/>
        <source>Serveur partagé : {0}</source>
        <translation>Shared server: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="310"/>
        <source>Flotte du jour ({0} / {1})</source>
        <translation>Today&apos;s fleet ({0} / {1})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="323"/>
        <source>Règles enfreintes ({0})</source>
        <translation>Broken rules ({0})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="325"/>
        <source>Régul — {0}</source>
        <translation>Régul — {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="326"/>
        <source>{0} demandes chargées</source>
        <translation>{0} requests loaded</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354"/>
        <source>Attendez la fin de l&apos;optimisation</source>
        <translation>Wait for the optimisation to finish</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="40"/>
        <source>Annulée par le patient</source>
        <translation>Cancelled by the patient</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="41"/>
        <source>Patient absent</source>
        <translation>Patient absent (no-show)</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="42"/>
        <source>Retard de l&apos;établissement</source>
        <translation>Care site&apos;s delay</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="43"/>
        <source>Annulation tardive</source>
        <translation>Late cancellation</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="51"/>
        <source>Transmettre</source>
        <translation>Push</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="53"/>
        <source>Proposer aux transporteurs ce qui a changé depuis</source>
        <translation>Propose to carriers what changed since the last push</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="56"/>
        <source>Transporteurs</source>
        <translation>Carriers</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="58"/>
        <source>Délai de réponse…</source>
        <translation>Answer delay…</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="59"/>
        <source>Tolérance d&apos;horaire…</source>
        <translation>Time tolerance…</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="60"/>
        <source>Voir les missions d&apos;un transporteur…</source>
        <translation>See a carrier&apos;s missions…</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="78"/>
        <source>Annuler le transport…</source>
        <translation>Cancel the transport…</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="79"/>
        <source>Le patient refuse le partage</source>
        <translation>The patient refuses sharing</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="86"/>
        <source>Transmission refusée</source>
        <translation>Push refused</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="94"/>
        <source>{0} trajets proposés, {1} déjà transmis, {2} horaires mis à jour, {3} propositions retirées</source>
        <translation>{0} trips proposed, {1} already sent, {2} times updated, {3} proposals withdrawn</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="105"/>
        <source>Retenus (à corriger avant de transmettre) :</source>
        <translation>Held back (to correct before pushing):</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="109"/>
        <source>Transmission</source>
        <translation>Push</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="116"/>
        <source>Choisissez un seul transport à annuler</source>
        <translation>Choose a single transport to cancel</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="120"/>
        <source>Annuler le transport</source>
        <translation>Cancel the transport</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="120"/>
        <source>Motif :</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="125"/>
        <source>Annulation refusée</source>
        <translation>Cancellation refused</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="133"/>
        <source>{0} annulé ; prévenu : {1}</source>
        <translation>{0} cancelled; told: {1}</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="140"/>
        <location filename="../main_window.py" line="377"/>
        <location filename="../main_window.py" line="487"/>
        <source>Modification refusée</source>
        <translation>Change refused</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="147"/>
        <source>Refus du partage noté : la prochaine optimisation fera voyager seul</source>
        <translation>Refusal of sharing recorded: the next optimisation makes the patient ride alone</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="155"/>
        <source>Délai de réponse</source>
        <translation>Answer delay</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="156"/>
        <source>Minutes laissées à un transporteur pour répondre :</source>
        <translation>Minutes a carrier has to answer:</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="163"/>
        <location filename="../dispatch_actions.py" line="180"/>
        <source>Réglage refusé</source>
        <translation>Setting refused</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="171"/>
        <source>Tolérance d&apos;horaire</source>
        <translation>Time tolerance</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="172"/>
        <source>Un trajet décalé de ce nombre de minutes au plus garde la réponse du transporteur (au-delà, il lui est proposé à nouveau) :</source>
        <translation>A trip moved by at most this many minutes keeps the carrier&apos;s answer (beyond, it is proposed again):</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="192"/>
        <source>Missions de :</source>
        <translation>Missions of:</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="207"/>
        <source>Mis à jour : changements d&apos;un autre poste</source>
        <translation>Updated: another desk&apos;s changes</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="214"/>
        <source>{0} proposées au transporteur suivant</source>
        <translation>{0} proposed to the next carrier</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="216"/>
        <source>{0} remises à planifier</source>
        <translation>{0} back to planning</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="243"/>
        <source>Journal d&apos;audit…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="370"/>
        <source>à la main : {0}</source>
        <translation>by hand: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="382"/>
        <source>Enregistré ; aucune infraction</source>
        <translation>Saved; no rule broken</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="384"/>
        <source>Enregistré ; {0} infraction(s) : voir « Règles enfreintes »</source>
        <translation>Saved; {0} rule(s) broken: see &quot;Broken rules&quot;</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="400"/>
        <source>{0} → {1}</source>
        <translation>{0} → {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="408"/>
        <source>Affecter</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="408"/>
        <source>Véhicule :</source>
        <translation>Vehicle:</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="426"/>
        <source>Seule une demande affectée se verrouille</source>
        <translation>Only an assigned request can be locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="431"/>
        <source>Verrouiller {0}</source>
        <translation>Lock {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="431"/>
        <source>Déverrouiller {0}</source>
        <translation>Unlock {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="444"/>
        <source>Retirer {0}</source>
        <translation>Take out {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="451"/>
        <source>Verrouiller la tournée {0}</source>
        <translation>Lock the route of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="451"/>
        <source>Déverrouiller la tournée {0}</source>
        <translation>Unlock the route of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="463"/>
        <location filename="../main_window.py" line="544"/>
        <source>Panne de {0}</source>
        <translation>Breakdown of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="473"/>
        <source>prise en charge</source>
        <translation>pickup</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="473"/>
        <source>dépose</source>
        <translation>drop-off</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="475"/>
        <source>{0} {1} de {2:+d} min</source>
        <translation>{0} {1} by {2:+d} min</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="491"/>
        <source>{0} disponible</source>
        <translation>{0} available</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="491"/>
        <source>{0} indisponible : il sera laissé de côté à la prochaine optimisation</source>
        <translation>{0} unavailable: the next optimisation will leave it out</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="513"/>
        <source>Déverrouiller la tournée</source>
        <translation>Unlock the route</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="513"/>
        <source>Verrouiller la tournée</source>
        <translation>Lock the route</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="517"/>
        <source>Panne : rendre les trajets restants…</source>
        <translation>Breakdown: hand back the remaining trips…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="521"/>
        <source>Affecter la sélection à {0}</source>
        <translation>Assign the selection to {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="529"/>
        <source>Avancer de {0} min</source>
        <translation>{0} min earlier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="533"/>
        <source>Retarder de {0} min</source>
        <translation>{0} min later</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="545"/>
        <source>En panne depuis (minutes après minuit) :</source>
        <translation>Broken down since (minutes after midnight):</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="616"/>
        <source>Optimisation…</source>
        <translation>Optimising…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="619"/>
        <source>Optimisation en cours ({0} s au plus)</source>
        <translation>Optimising ({0} s at most)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="627"/>
        <source>Arrêt demandé : le meilleur plan trouvé est gardé</source>
        <translation>Stop requested: the best plan found is kept</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="632"/>
        <source>{0} servies — coût {1} — {2} s</source>
        <translation>{0} served — cost {1} — {2} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="646"/>
        <source>arrêtée, meilleur plan gardé</source>
        <translation>stopped, best plan kept</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="646"/>
        <source>terminée</source>
        <translation>finished</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="648"/>
        <source>Optimisation {0} en {1} s : {2} / {3} servies, {4} infraction(s)</source>
        <translation>Optimisation {0} in {1} s: {2} / {3} served, {4} rule(s) broken</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="657"/>
        <source>Optimisation impossible</source>
        <translation>Optimisation failed</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="658"/>
        <source>Le plan enregistré n&apos;a pas changé.

{0}</source>
        <translation>The stored plan has not changed.

{0}</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="52"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="41"/>
        <location filename="../requests_model.py" line="53"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="42"/>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="43"/>
        <location filename="../requests_model.py" line="54"/>
        <source>Départ</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="44"/>
        <location filename="../requests_model.py" line="55"/>
        <source>Arrivée</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="49"/>
        <source>Réponse avant</source>
        <translation>Answer by</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="95"/>
        <source> + accompagnant</source>
        <translation> + companion</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="125"/>
        <source>Motif : {0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="56"/>
        <source>Sens</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="57"/>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="46"/>
        <location filename="../requests_model.py" line="58"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="59"/>
        <source>Soin</source>
        <translation>Care</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="60"/>
        <source>Partage</source>
        <translation>Sharing</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="39"/>
        <location filename="../requests_model.py" line="61"/>
        <source>Véhicule</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="40"/>
        <location filename="../requests_model.py" line="62"/>
        <location filename="../timeline.py" line="190"/>
        <source>Prise en charge</source>
        <translation>Pickup</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="47"/>
        <source>Partagé avec</source>
        <translation>Shared with</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="48"/>
        <location filename="../requests_model.py" line="63"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="65"/>
        <source>N° demande</source>
        <translation>Request no.</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="78"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="78"/>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../roster_model.py" line="38"/>
        <source>Disponible</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../dispatch_actions.py" line="192"/>
        <location filename="../requests_model.py" line="64"/>
        <location filename="../roster_model.py" line="39"/>
        <source>Transporteur</source>
        <translation>Carrier</translation>
    </message>
    <message>
        <location filename="../roster_model.py" line="40"/>
        <source>Immatriculation</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../roster_model.py" line="41"/>
        <source>Type</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../roster_model.py" line="45"/>
        <source>Service</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="175"/>
        <source>{0} : à vide</source>
        <translation>{0}: empty</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="179"/>
        <source>{0} : {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="184"/>
        <source>{0} : partagé — {1}</source>
        <translation>{0}: shared — {1}</translation>
    </message>
    <message>
        <location filename="../missions_model.py" line="45"/>
        <location filename="../timeline.py" line="190"/>
        <source>Dépose</source>
        <translation>Drop-off</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="49"/>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="50"/>
        <location filename="../audit_view.py" line="103"/>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="51"/>
        <location filename="../audit_view.py" line="104"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="52"/>
        <location filename="../audit_view.py" line="105"/>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="53"/>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="54"/>
        <source>Modifications</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="55"/>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../audit_model.py" line="78"/>
        <source>entrée n° {0} illisible : {1}</source>
        <translation>entry no. {0} unreadable: {1}</translation>
    </message>
    <message>
        <location filename="../background.py" line="36"/>
        <source>erreur inattendue ({0}) : {1}</source>
        <translation>unexpected error ({0}): {1}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="80"/>
        <source>Journal d&apos;audit</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="83"/>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="93"/>
        <source>mots du détail</source>
        <translation>words in the detail</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="100"/>
        <source>au</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="106"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="141"/>
        <location filename="../carrier_window.py" line="102"/>
        <source>Actualiser</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="142"/>
        <source>Exporter…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="229"/>
        <source>Export vers {0} en cours…</source>
        <translation>Exporting to {0}…</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="243"/>
        <source>Exporter le journal d&apos;audit</source>
        <translation>Export the audit log</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="257"/>
        <source>{0} entrée exportée dans {1}</source>
        <translation>{0} entry exported to {1}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="259"/>
        <source>{0} entrées exportées dans {1}</source>
        <translation>{0} entries exported to {1}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="269"/>
        <source>Export impossible</source>
        <translation>Export failed</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="283"/>
        <source>Entrée n° {0} du journal d&apos;audit</source>
        <translation>Audit log entry no. {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="304"/>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="305"/>
        <location filename="../audit_view.py" line="306"/>
        <location filename="../carrier_window.py" line="87"/>
        <source>Toutes</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="351"/>
        <source>Aucune entrée ne correspond au filtre.</source>
        <translation>No entry matches the filter.</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="353"/>
        <source>1 entrée</source>
        <translation>1 entry</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="353"/>
        <source>{0} entrées</source>
        <translation>{0} entries</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="355"/>
        <source>{0} entrées les plus récentes ; faites défiler pour lire la suite</source>
        <translation>{0} most recent entries; scroll to read more</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="365"/>
        <source>Entrée n° {0}</source>
        <translation>Entry no. {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="366"/>
        <source>Date et heure : {0}</source>
        <translation>Date and time: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="367"/>
        <source>Utilisateur : {0}</source>
        <translation>User: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="368"/>
        <source>Action : {0}</source>
        <translation>Action: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="369"/>
        <source>Table : {0}</source>
        <translation>Table: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="370"/>
        <source>Identifiant : {0}</source>
        <translation>Id: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="373"/>
        <source>Détail : {0}</source>
        <translation>Detail: {0}</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="375"/>
        <source>Modifications :</source>
        <translation>Changes:</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="381"/>
        <source>Classeur Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../audit_view.py" line="381"/>
        <source>CSV pour Excel (*.csv)</source>
        <translation>CSV for Excel (*.csv)</translation>
    </message>
    <message>
        <location filename="../plan_editing.py" line="42"/>
        <source>annulation de « {0} »</source>
        <translation>undo of “{0}”</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="31"/>
        <source>Aide</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="32"/>
        <source>Copier le diagnostic pour le support</source>
        <translation>Copy the diagnostic for support</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="33"/>
        <source>Ouvrir le dossier des journaux</source>
        <translation>Open the logs folder</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="35"/>
        <source>Configurer ce poste…</source>
        <translation>Set this desk up…</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="37"/>
        <location filename="../help_menu.py" line="75"/>
        <source>À propos de Régul</source>
        <translation>About Régul</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="46"/>
        <source>Diagnostic copié : collez-le dans votre message au support.</source>
        <translation>Diagnostic copied: paste it in your message to support.</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="64"/>
        <source>Poste configuré</source>
        <translation>Desk set up</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="65"/>
        <source>Réglages enregistrés. Fermez puis rouvrez Régul pour travailler avec eux.</source>
        <translation>Settings saved. Close and reopen Régul to work with them.</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="78"/>
        <source>&lt;b&gt;Régul {0}&lt;/b&gt;&lt;br&gt;Régulation du transport sanitaire non urgent.&lt;br&gt;&lt;br&gt;Qt {1} et Qt for Python {2} sous licence LGPL v3 ; les autres composants sous leurs licences respectives.</source>
        <translation>&lt;b&gt;Régul {0}&lt;/b&gt;&lt;br&gt;Regulation of non-urgent patient transport.&lt;br&gt;&lt;br&gt;Qt {1} and Qt for Python {2} under the LGPL v3; the other components under their own licences.</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="85"/>
        <source>Licences des composants…</source>
        <translation>Component licences…</translation>
    </message>
    <message>
        <location filename="../help_menu.py" line="94"/>
        <source>Licences des composants</source>
        <translation>Component licences</translation>
    </message>
    <message>
        <location filename="../startup.py" line="50"/>
        <source>Régul ne peut pas démarrer</source>
        <translation>Régul cannot start</translation>
    </message>
    <message>
        <location filename="../startup.py" line="132"/>
        <source>Base mise à jour pour cette version de Régul (schéma {0} → {1}).</source>
        <translation>Database upgraded for this version of Régul (schema {0} → {1}).</translation>
    </message>
    <message>
        <location filename="../startup.py" line="133"/>
        <source>vide</source>
        <translation>empty</translation>
    </message>
    <message>
        <location filename="../startup.py" line="136"/>
        <source>Copie de sauvegarde : {0}</source>
        <translation>Backup copy: {0}</translation>
    </message>
    <message>
        <location filename="../crash.py" line="49"/>
        <source>Un rapport, sans données de patients, est dans :
{0}
Joignez-le à votre demande d&apos;assistance.</source>
        <translation>A report, without any patient data, is in:
{0}
Attach it to your support request.</translation>
    </message>
    <message>
        <location filename="../crash.py" line="53"/>
        <source>Le rapport n&apos;a pas pu être écrit.</source>
        <translation>The report could not be written.</translation>
    </message>
    <message>
        <location filename="../crash.py" line="57"/>
        <source>Erreur inattendue</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../crash.py" line="59"/>
        <source>Une erreur inattendue s&apos;est produite ({0}). Le travail déjà enregistré est conservé ; la dernière action n&apos;a peut-être pas abouti.</source>
        <translation>An unexpected error occurred ({0}). Work already saved is kept; the last action may not have gone through.</translation>
    </message>
    <message>
        <location filename="../live_updates.py" line="103"/>
        <source>Base de données inaccessible — nouvelle tentative…</source>
        <translation>Database unreachable — trying again…</translation>
    </message>
    <message>
        <location filename="../live_updates.py" line="104"/>
        <source>Connexion au serveur perdue — nouvelle tentative…</source>
        <translation>Connection to the server lost — trying again…</translation>
    </message>
    <message>
        <location filename="../live_updates.py" line="106"/>
        <source>{0} — nouvelle tentative…</source>
        <translation>{0} — trying again…</translation>
    </message>
    <message>
        <location filename="../live_updates.py" line="108"/>
        <source>Base de données illisible ({0}) — nouvelle tentative…</source>
        <translation>Database unreadable ({0}) — trying again…</translation>
    </message>
    <message>
        <location filename="../live_updates.py" line="127"/>
        <source>Connexion rétablie</source>
        <translation>Connection restored</translation>
    </message>
</context>
</TS>
