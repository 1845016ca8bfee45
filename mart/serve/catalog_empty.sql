-- The PostgreSQL 15 catalogs that a DuckDB mart has no rows for: functions, triggers, rules,
-- policies, statistics, publications, extensions... (keys, indexes and sequences are in
-- catalog.sql). Clients join them to what they look up and must get no rows and no error.
--
-- Never executed: mart.serve.sql reads these declarations and translate() puts an empty,
-- typed subquery in place of each reference, e.g. pg_catalog.pg_trigger becomes
-- (select cast(null as bigint) as oid, ... where false) as pg_trigger. Creating the first 38
-- empty tables took 15 to 20 ms of the server's install(), more than all the rest together.
-- Columns and their order are PostgreSQL 15's; types map as in catalog.sql.

create table pg_catalog.pg_proc (
    oid bigint, proname varchar, pronamespace bigint, proowner bigint, prolang bigint,
    procost float, prorows float, provariadic bigint, prosupport varchar, prokind varchar,
    prosecdef boolean, proleakproof boolean, proisstrict boolean, proretset boolean,
    provolatile varchar, proparallel varchar, pronargs smallint, pronargdefaults smallint,
    prorettype bigint, proargtypes bigint[], proallargtypes bigint[], proargmodes varchar[],
    proargnames varchar[], proargdefaults varchar, protrftypes bigint[], prosrc varchar,
    probin varchar, prosqlbody varchar, proconfig varchar[], proacl varchar[]
);

create table pg_catalog.pg_inherits (
    inhrelid bigint, inhparent bigint, inhseqno integer, inhdetachpending boolean
);

create table pg_catalog.pg_trigger (
    oid bigint, tgrelid bigint, tgparentid bigint, tgname varchar, tgfoid bigint, tgtype smallint,
    tgenabled varchar, tgisinternal boolean, tgconstrrelid bigint, tgconstrindid bigint,
    tgconstraint bigint, tgdeferrable boolean, tginitdeferred boolean, tgnargs smallint,
    tgattr smallint[], tgargs blob, tgqual varchar, tgoldtable varchar, tgnewtable varchar
);

create table pg_catalog.pg_policy (
    oid bigint, polname varchar, polrelid bigint, polcmd varchar, polpermissive boolean,
    polroles bigint[], polqual varchar, polwithcheck varchar
);

create table pg_catalog.pg_statistic_ext (
    oid bigint, stxrelid bigint, stxname varchar, stxnamespace bigint, stxowner bigint,
    stxstattarget integer, stxkeys smallint[], stxkind varchar[], stxexprs varchar
);

create table pg_catalog.pg_publication (
    oid bigint, pubname varchar, pubowner bigint, puballtables boolean, pubinsert boolean,
    pubupdate boolean, pubdelete boolean, pubtruncate boolean, pubviaroot boolean
);

create table pg_catalog.pg_publication_rel (
    oid bigint, prpubid bigint, prrelid bigint, prqual varchar, prattrs smallint[]
);

create table pg_catalog.pg_publication_namespace (
    oid bigint, pnpubid bigint, pnnspid bigint
);

create table pg_catalog.pg_enum (
    oid bigint, enumtypid bigint, enumsortorder float, enumlabel varchar
);

create table pg_catalog.pg_range (
    rngtypid uinteger, rngsubtype uinteger, rngmultitypid uinteger, rngcollation uinteger,
    rngsubopc uinteger, rngcanonical varchar, rngsubdiff varchar
);

create table pg_catalog.pg_extension (
    oid bigint, extname varchar, extowner bigint, extnamespace bigint, extrelocatable boolean,
    extversion varchar, extconfig bigint[], extcondition varchar[]
);

create table pg_catalog.pg_shdescription (
    objoid bigint, classoid bigint, description varchar
);

create table pg_catalog.pg_auth_members (
    roleid bigint, member bigint, grantor bigint, admin_option boolean
);

create table pg_catalog.pg_partitioned_table (
    partrelid bigint, partstrat varchar, partnatts smallint, partdefid bigint,
    partattrs smallint[], partclass bigint[], partcollation bigint[], partexprs varchar
);

create table pg_catalog.pg_foreign_table (
    ftrelid bigint, ftserver bigint, ftoptions varchar[]
);

create table pg_catalog.pg_foreign_server (
    oid bigint, srvname varchar, srvowner bigint, srvfdw bigint, srvtype varchar,
    srvversion varchar, srvacl varchar[], srvoptions varchar[]
);

create table pg_catalog.pg_foreign_data_wrapper (
    oid bigint, fdwname varchar, fdwowner bigint, fdwhandler bigint, fdwvalidator bigint,
    fdwacl varchar[], fdwoptions varchar[]
);

create table pg_catalog.pg_event_trigger (
    oid bigint, evtname varchar, evtevent varchar, evtowner bigint, evtfoid bigint,
    evtenabled varchar, evttags varchar[]
);

create table pg_catalog.pg_language (
    oid bigint, lanname varchar, lanowner bigint, lanispl boolean, lanpltrusted boolean,
    lanplcallfoid bigint, laninline bigint, lanvalidator bigint, lanacl varchar[]
);

create table pg_catalog.pg_operator (
    oid bigint, oprname varchar, oprnamespace bigint, oprowner bigint, oprkind varchar,
    oprcanmerge boolean, oprcanhash boolean, oprleft bigint, oprright bigint, oprresult bigint,
    oprcom bigint, oprnegate bigint, oprcode varchar, oprrest varchar, oprjoin varchar
);

create table pg_catalog.pg_cast (
    oid bigint, castsource bigint, casttarget bigint, castfunc bigint, castcontext varchar,
    castmethod varchar
);

create table pg_catalog.pg_aggregate (
    aggfnoid varchar, aggkind varchar, aggnumdirectargs smallint, aggtransfn varchar,
    aggfinalfn varchar, aggcombinefn varchar, aggserialfn varchar, aggdeserialfn varchar,
    aggmtransfn varchar, aggminvtransfn varchar, aggmfinalfn varchar, aggfinalextra boolean,
    aggmfinalextra boolean, aggfinalmodify varchar, aggmfinalmodify varchar, aggsortop bigint,
    aggtranstype bigint, aggtransspace integer, aggmtranstype bigint, aggmtransspace integer,
    agginitval varchar, aggminitval varchar
);

create table pg_catalog.pg_matviews (
    schemaname varchar, matviewname varchar, matviewowner varchar, tablespace varchar,
    hasindexes boolean, ispopulated boolean, definition varchar
);

create table information_schema.routines (
    specific_catalog varchar, specific_schema varchar, specific_name varchar,
    routine_catalog varchar, routine_schema varchar, routine_name varchar, routine_type varchar,
    module_catalog varchar, module_schema varchar, module_name varchar, udt_catalog varchar,
    udt_schema varchar, udt_name varchar, data_type varchar, character_maximum_length integer,
    character_octet_length integer, character_set_catalog varchar, character_set_schema varchar,
    character_set_name varchar, collation_catalog varchar, collation_schema varchar,
    collation_name varchar, numeric_precision integer, numeric_precision_radix integer,
    numeric_scale integer, datetime_precision integer, interval_type varchar,
    interval_precision integer, type_udt_catalog varchar, type_udt_schema varchar,
    type_udt_name varchar, scope_catalog varchar, scope_schema varchar, scope_name varchar,
    maximum_cardinality integer, dtd_identifier varchar, routine_body varchar,
    routine_definition varchar, external_name varchar, external_language varchar,
    parameter_style varchar, is_deterministic varchar, sql_data_access varchar,
    is_null_call varchar, sql_path varchar, schema_level_routine varchar,
    max_dynamic_result_sets integer, is_user_defined_cast varchar,
    is_implicitly_invocable varchar, security_type varchar, to_sql_specific_catalog varchar,
    to_sql_specific_schema varchar, to_sql_specific_name varchar, as_locator varchar,
    created timestamptz, last_altered timestamptz, new_savepoint_level varchar,
    is_udt_dependent varchar, result_cast_from_data_type varchar, result_cast_as_locator varchar,
    result_cast_char_max_length integer, result_cast_char_octet_length integer,
    result_cast_char_set_catalog varchar, result_cast_char_set_schema varchar,
    result_cast_char_set_name varchar, result_cast_collation_catalog varchar,
    result_cast_collation_schema varchar, result_cast_collation_name varchar,
    result_cast_numeric_precision integer, result_cast_numeric_precision_radix integer,
    result_cast_numeric_scale integer, result_cast_datetime_precision integer,
    result_cast_interval_type varchar, result_cast_interval_precision integer,
    result_cast_type_udt_catalog varchar, result_cast_type_udt_schema varchar,
    result_cast_type_udt_name varchar, result_cast_scope_catalog varchar,
    result_cast_scope_schema varchar, result_cast_scope_name varchar,
    result_cast_maximum_cardinality integer, result_cast_dtd_identifier varchar
);

create table information_schema.sequences (
    sequence_catalog varchar, sequence_schema varchar, sequence_name varchar, data_type varchar,
    numeric_precision integer, numeric_precision_radix integer, numeric_scale integer,
    start_value varchar, minimum_value varchar, maximum_value varchar, increment varchar,
    cycle_option varchar
);

-- Locks: mart serve takes no PostgreSQL locks. (pg_stat_activity is the server's sessions:
-- functions.sql.)
create table pg_catalog.pg_locks (
    locktype varchar, database bigint, relation bigint, page integer, tuple smallint,
    virtualxid varchar, transactionid bigint, classid bigint, objid bigint, objsubid smallint,
    virtualtransaction varchar, pid integer, mode varchar, granted boolean, fastpath boolean,
    waitstart timestamptz
);

-- No rules but views' _RETURN rules, which pg_rules does not list: empty on PostgreSQL too.
create table pg_catalog.pg_rules (
    schemaname varchar, tablename varchar, rulename varchar, definition varchar
);

create table pg_catalog.pg_conversion (
    oid bigint, conname varchar, connamespace bigint, conowner bigint, conforencoding integer,
    contoencoding integer, conproc varchar, condefault boolean
);

create table pg_catalog.pg_opfamily (
    oid bigint, opfmethod bigint, opfname varchar, opfnamespace bigint, opfowner bigint
);

create table pg_catalog.pg_init_privs (
    objoid bigint, classoid bigint, objsubid integer, privtype varchar, initprivs varchar[]
);

create table pg_catalog.pg_transform (
    oid bigint, trftype bigint, trflang bigint, trffromsql varchar, trftosql varchar
);

create table pg_catalog.pg_ts_parser (
    oid bigint, prsname varchar, prsnamespace bigint, prsstart varchar, prstoken varchar,
    prsend varchar, prsheadline varchar, prslextype varchar
);

create table pg_catalog.pg_ts_template (
    oid bigint, tmplname varchar, tmplnamespace bigint, tmplinit varchar, tmpllexize varchar
);

create table pg_catalog.pg_ts_dict (
    oid bigint, dictname varchar, dictnamespace bigint, dictowner bigint, dicttemplate bigint,
    dictinitoption varchar
);

create table pg_catalog.pg_ts_config (
    oid bigint, cfgname varchar, cfgnamespace bigint, cfgowner bigint, cfgparser bigint
);

create table pg_catalog.pg_ts_config_map (
    mapcfg bigint, maptokentype integer, mapseqno integer, mapdict bigint
);

create table pg_catalog.pg_default_acl (
    oid bigint, defaclrole bigint, defaclnamespace bigint, defaclobjtype varchar,
    defaclacl varchar[]
);

create table pg_catalog.pg_largeobject_metadata (
    oid bigint, lomowner bigint, lomacl varchar[]
);

create table pg_catalog.pg_subscription (
    oid bigint, subdbid bigint, subskiplsn varchar, subname varchar, subowner bigint,
    subenabled boolean, subbinary boolean, substream boolean, subtwophasestate varchar,
    subdisableonerr boolean, subconninfo varchar, subslotname varchar, subsynccommit varchar,
    subpublications varchar[]
);

create table pg_catalog.pg_seclabel (
    objoid bigint, classoid bigint, objsubid integer, provider varchar, label varchar
);

create table pg_catalog.pg_shseclabel (
    objoid bigint, classoid bigint, provider varchar, label varchar
);

create table pg_catalog.pg_user_mappings (
    umid bigint, srvid bigint, srvname varchar, umuser bigint, usename varchar,
    umoptions varchar[]
);

create table pg_catalog.pg_amop (
    oid bigint, amopfamily bigint, amoplefttype bigint, amoprighttype bigint,
    amopstrategy smallint, amoppurpose varchar, amopopr bigint, amopmethod bigint,
    amopsortfamily bigint
);

create table pg_catalog.pg_amproc (
    oid bigint, amprocfamily bigint, amproclefttype bigint, amprocrighttype bigint,
    amprocnum smallint, amproc varchar
);

create table pg_catalog.pg_seclabels (
    objoid bigint, classoid bigint, objsubid integer, objtype varchar, objnamespace bigint,
    objname varchar, provider varchar, label varchar
);
