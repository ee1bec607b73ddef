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
        <location filename="../roster_model.py" line="42"/>
        <source>Assis</source>
        <translation>Seated</translation>
    </message>
    <message>
        <location filename="../labels.py" line="20"/>
        <location filename="../roster_model.py" line="43"/>
        <source>Allongé</source>
        <translation>Lying</translation>
    </message>
    <message>
        <location filename="../labels.py" line="21"/>
        <location filename="../roster_model.py" line="44"/>
        <source>Fauteuil</source>
        <translation>Wheelchair</translation>
    </message>
    <message>
        <location filename="../labels.py" line="27"/>
        <source>Aller</source>
        <translation>Outbound</translation>
    </message>
    <message>
        <location filename="../labels.py" line="28"/>
        <source>Retour</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../labels.py" line="29"/>
        <location filename="../labels.py" line="43"/>
        <source>Transfert</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../labels.py" line="35"/>
        <source>Dialyse</source>
        <translation>Dialysis</translation>
    </message>
    <message>
        <location filename="../labels.py" line="36"/>
        <source>Chimiothérapie</source>
        <translation>Chemotherapy</translation>
    </message>
    <message>
        <location filename="../labels.py" line="37"/>
        <source>Radiothérapie</source>
        <translation>Radiotherapy</translation>
    </message>
    <message>
        <location filename="../labels.py" line="38"/>
        <source>SMR</source>
        <translation>Rehabilitation</translation>
    </message>
    <message>
        <location filename="../labels.py" line="39"/>
        <source>Hôpital de jour</source>
        <translation>Day hospital</translation>
    </message>
    <message>
        <location filename="../labels.py" line="40"/>
        <source>Consultation</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../labels.py" line="41"/>
        <source>Hospitalisation</source>
        <translation>Admission</translation>
    </message>
    <message>
        <location filename="../labels.py" line="42"/>
        <source>Sortie d&apos;hospitalisation</source>
        <translation>Discharge</translation>
    </message>
    <message>
        <location filename="../labels.py" line="44"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../labels.py" line="50"/>
        <source>Planifiée</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="51"/>
        <source>Non affectée</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="52"/>
        <source>Non planifiable</source>
        <translation>Cannot be planned</translation>
    </message>
    <message>
        <location filename="../labels.py" line="53"/>
        <source>À planifier</source>
        <translation>To plan</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="95"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="98"/>
        <source>Jour : </source>
        <translation>Day: </translation>
    </message>
    <message>
        <location filename="../main_window.py" line="105"/>
        <source>Importer…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="107"/>
        <source>Demandes, établissements ou flotte depuis un tableur</source>
        <translation>Requests, care sites or fleet from a spreadsheet</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="110"/>
        <source>Optimiser</source>
        <translation>Optimise</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="113"/>
        <source>Planifier la journée, en gardant ce qui est verrouillé</source>
        <translation>Plan the day, keeping what is locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="116"/>
        <source>Vérifier</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="118"/>
        <source>Relire le plan et vérifier chaque règle</source>
        <translation>Reload the plan and check every rule</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="139"/>
        <source>Filtrer : patient, commune, soin, véhicule…</source>
        <translation>Filter: patient, town, care, vehicle…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170"/>
        <source>Demandes</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="175"/>
        <source>Carte</source>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="183"/>
        <source>Chronologie des véhicules</source>
        <translation>Vehicle timeline</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="197"/>
        <source>Flotte du jour</source>
        <translation>Today&apos;s fleet</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="202"/>
        <source>Règles enfreintes</source>
        <translation>Broken rules</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="211"/>
        <source>Indicateurs</source>
        <translation>Indicators</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="222"/>
        <source>Affichage</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="230"/>
        <source>Édition</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="231"/>
        <location filename="../main_window.py" line="264"/>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="233"/>
        <source>Rétablir</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="242"/>
        <location filename="../main_window.py" line="472"/>
        <source>Verrouiller l&apos;affectation</source>
        <translation>Lock the assignment</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="244"/>
        <location filename="../main_window.py" line="473"/>
        <source>Déverrouiller l&apos;affectation</source>
        <translation>Unlock the assignment</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="245"/>
        <location filename="../main_window.py" line="475"/>
        <source>Retirer du plan</source>
        <translation>Take out of the plan</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="246"/>
        <location filename="../main_window.py" line="474"/>
        <source>Affecter à un véhicule…</source>
        <translation>Assign to a vehicle…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="248"/>
        <source>Réoptimiser le reste (verrous gardés)</source>
        <translation>Re-optimise the rest (locks kept)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="254"/>
        <source>Base locale : {0}</source>
        <translation>Local database: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="256"/>
        <source>Serveur partagé : {0}</source>
        <translation>Shared server: {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="291"/>
        <source>Flotte du jour ({0} / {1})</source>
        <translation>Today&apos;s fleet ({0} / {1})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="304"/>
        <source>Règles enfreintes ({0})</source>
        <translation>Broken rules ({0})</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="306"/>
        <source>Régul — {0}</source>
        <translation>Régul — {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="307"/>
        <source>{0} demandes chargées</source>
        <translation>{0} requests loaded</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="329"/>
        <source>Attendez la fin de l&apos;optimisation</source>
        <translation>Wait for the optimisation to finish</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="349"/>
        <location filename="../main_window.py" line="459"/>
        <source>Modification refusée</source>
        <translation>Change refused</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354"/>
        <source>Enregistré ; aucune infraction</source>
        <translation>Saved; no rule broken</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="356"/>
        <source>Enregistré ; {0} infraction(s) : voir « Règles enfreintes »</source>
        <translation>Saved; {0} rule(s) broken: see &quot;Broken rules&quot;</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="372"/>
        <source>{0} → {1}</source>
        <translation>{0} → {1}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="380"/>
        <source>Affecter</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="380"/>
        <source>Véhicule :</source>
        <translation>Vehicle:</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="398"/>
        <source>Seule une demande affectée se verrouille</source>
        <translation>Only an assigned request can be locked</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403"/>
        <source>Verrouiller {0}</source>
        <translation>Lock {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403"/>
        <source>Déverrouiller {0}</source>
        <translation>Unlock {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="416"/>
        <source>Retirer {0}</source>
        <translation>Take out {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="423"/>
        <source>Verrouiller la tournée {0}</source>
        <translation>Lock the route of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="423"/>
        <source>Déverrouiller la tournée {0}</source>
        <translation>Unlock the route of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="435"/>
        <location filename="../main_window.py" line="515"/>
        <source>Panne de {0}</source>
        <translation>Breakdown of {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="445"/>
        <source>prise en charge</source>
        <translation>pickup</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="445"/>
        <source>dépose</source>
        <translation>drop-off</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="447"/>
        <source>{0} {1} de {2:+d} min</source>
        <translation>{0} {1} by {2:+d} min</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="463"/>
        <source>{0} disponible</source>
        <translation>{0} available</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="463"/>
        <source>{0} indisponible : il sera laissé de côté à la prochaine optimisation</source>
        <translation>{0} unavailable: the next optimisation will leave it out</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="484"/>
        <source>Déverrouiller la tournée</source>
        <translation>Unlock the route</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="484"/>
        <source>Verrouiller la tournée</source>
        <translation>Lock the route</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="488"/>
        <source>Panne : rendre les trajets restants…</source>
        <translation>Breakdown: hand back the remaining trips…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="492"/>
        <source>Affecter la sélection à {0}</source>
        <translation>Assign the selection to {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="500"/>
        <source>Avancer de {0} min</source>
        <translation>{0} min earlier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="504"/>
        <source>Retarder de {0} min</source>
        <translation>{0} min later</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="516"/>
        <source>En panne depuis (minutes après minuit) :</source>
        <translation>Broken down since (minutes after midnight):</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="587"/>
        <source>Optimisation…</source>
        <translation>Optimising…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="590"/>
        <source>Optimisation en cours ({0} s au plus)</source>
        <translation>Optimising ({0} s at most)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="598"/>
        <source>Arrêt demandé : le meilleur plan trouvé est gardé</source>
        <translation>Stop requested: the best plan found is kept</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="603"/>
        <source>{0} servies — coût {1} — {2} s</source>
        <translation>{0} served — cost {1} — {2} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="617"/>
        <source>arrêtée, meilleur plan gardé</source>
        <translation>stopped, best plan kept</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="617"/>
        <source>terminée</source>
        <translation>finished</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="619"/>
        <source>Optimisation {0} en {1} s : {2} / {3} servies, {4} infraction(s)</source>
        <translation>Optimisation {0} in {1} s: {2} / {3} served, {4} rule(s) broken</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="628"/>
        <source>Optimisation impossible</source>
        <translation>Optimisation failed</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="629"/>
        <source>Le plan enregistré n&apos;a pas changé.

{0}</source>
        <translation>The stored plan has not changed.

{0}</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="50"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="51"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="52"/>
        <source>Départ</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="53"/>
        <source>Arrivée</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="54"/>
        <source>Sens</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="55"/>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="56"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="57"/>
        <source>Soin</source>
        <translation>Care</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="58"/>
        <source>Partage</source>
        <translation>Sharing</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="59"/>
        <source>Véhicule</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="60"/>
        <location filename="../timeline.py" line="189"/>
        <source>Prise en charge</source>
        <translation>Pickup</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="61"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="62"/>
        <source>N° demande</source>
        <translation>Request no.</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="75"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../requests_model.py" line="75"/>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../roster_model.py" line="38"/>
        <source>Disponible</source>
        <translation>Available</translation>
    </message>
    <message>
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
        <location filename="../timeline.py" line="174"/>
        <source>{0} : à vide</source>
        <translation>{0}: empty</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="178"/>
        <source>{0} : {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="183"/>
        <source>{0} : partagé — {1}</source>
        <translation>{0}: shared — {1}</translation>
    </message>
    <message>
        <location filename="../timeline.py" line="189"/>
        <source>Dépose</source>
        <translation>Drop-off</translation>
    </message>
</context>
</TS>
