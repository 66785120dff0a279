-- Optional contract columns absent from an export that is present (e.g. `Type` missing
-- from opportunity.csv): the column is read as empty for every row, so say so by name
-- (warning) instead of letting downstream warnings blame the mappings. Required
-- columns missing stop the build in read_crm_export instead.
{{ config(severity='warn') }}
{%- for model_name in crm_revenue.crm_base_models().values() %}
-- depends_on: {{ ref(model_name) }}
{%- endfor %}
{%- set missing = [] %}
{%- if execute %}
{%- set raw_path = var('raw_path', '') %}
{%- for object_name, spec in crm_revenue.crm_export_contract().items() %}
{%- set present = [] %}
{%- set source_file = none %}
{%- if raw_path and target.type == 'duckdb' %}
{%- set source_file = crm_revenue.find_crm_export_file(raw_path, object_name) %}
{%- if source_file is not none %}
{%- for row in run_query("describe select * from " ~ crm_revenue.crm_export_reader(source_file)) %}
{%- do present.append(row[0] | lower | replace('_', '')) %}
{%- endfor %}
{%- endif %}
{%- elif not raw_path %}
{%- set relation = adapter.get_relation(database=source('crm', object_name).database, schema=source('crm', object_name).schema, identifier=source('crm', object_name).identifier) %}
{%- if relation is not none %}
{%- set source_file = relation | string %}
{%- for column in adapter.get_columns_in_relation(relation) %}
{%- do present.append(column.name | lower | replace('_', '')) %}
{%- endfor %}
{%- endif %}
{%- endif %}
{%- if source_file is not none %}
{%- for column in spec['columns'] if column | lower | replace('_', '') not in present and column not in spec['must_have'] %}
{%- do missing.append([object_name, source_file, column]) %}
{%- endfor %}
{%- endif %}
{%- endfor %}
{%- if missing %}
{%- set by_file = {} %}
{%- for object_name, source_file, column in missing %}
{%- do by_file.setdefault(source_file, []).append(column) %}
{%- endfor %}
{%- for source_file, columns in by_file.items() %}
{%- do log("WARNING optional column(s) absent from " ~ source_file ~ ": " ~ columns | join(', ')
    ~ " - the export has no such column, so every row reads it as empty"
    ~ (" (every opportunity's type becomes unknown)" if 'Type' in columns and source_file.lower().replace('\\', '/').split('/')[-1].startswith('opportunity.') else "")
    ~ "; export the column if the CRM has it", info=true) %}
{%- endfor %}
{%- endif %}
{%- endif %}

{%- for object_name, source_file, column in missing %}
select
    '{{ object_name }}' as source_object,
    '{{ source_file | replace("'", "''") }}' as source_file,
    '{{ column }}' as missing_column
union all
{%- endfor %}
select
    cast(null as {{ dbt.type_string() }}) as source_object,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as {{ dbt.type_string() }}) as missing_column
where 1 = 0
