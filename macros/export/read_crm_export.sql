{#-
    Selects one CRM object as text columns named after the contract's API names (lower
    case), the bookkeeping columns of `crm_bookkeeping_columns`, `_raw_row_number` (1-based;
    file order for files, else ordered by sync time and values, so "the later row wins" is
    deterministic) and `_source_file`. With `raw_path` set the object is read from
    `<raw_path>/<object>.csv|.parquet`; with `raw_path: ''` from the `crm` source table.
    Source column names match case-insensitively and ignoring underscores (`AccountId`,
    `account_id`, `MQL_Date__c`, `mql_date_c` all match). Every adapter gets the same
    cleaning: values trimmed, empty text is null. Objects the `source_shape` does not have
    (OpportunityHistory in scd2; `opportunity_version` outside scd2) are empty relations.
-#}
{% macro read_crm_export(object_name) %}
    {%- set shape = crm_revenue.crm_source_shape() -%}
    {%- set physical_object = 'opportunity' if object_name == 'opportunity_version' else object_name -%}
    {%- set contract = crm_revenue.crm_export_contract(physical_object) -%}
    {%- set columns = contract['columns'] + crm_revenue.passthrough_columns(physical_object) -%}
    {%- set bookkeeping = crm_revenue.crm_bookkeeping_columns(object_name) -%}
    {%- set relation = source('crm', physical_object) -%}
    {%- set raw_path = var('raw_path', '') -%}
    {%- if object_name == 'opportunity_version' -%}
        {%- set in_shape = shape == 'scd2' -%}
    {%- elif object_name in ['opportunity', 'opportunity_history'] -%}
        {%- set in_shape = shape != 'scd2' -%}
    {%- else -%}
        {%- set in_shape = true -%}
    {%- endif -%}
    {%- set from_sql = none -%}
    {%- if execute and in_shape -%}
        {%- if raw_path -%}
            {%- set found = crm_revenue.find_crm_export_file(raw_path, physical_object) -%}
            {%- if found is none and contract['required'] -%}
                {{ exceptions.raise_compiler_error(
                    "Required CRM export '" ~ physical_object ~ "' not found: expected " ~ raw_path
                    ~ "/" ~ physical_object ~ ".csv or .parquet (var raw_path='" ~ raw_path ~ "').") }}
            {%- endif -%}
            {%- set from_sql = crm_revenue.crm_export_reader(found) if found is not none else none -%}
            {%- set label = found -%}
        {%- else -%}
            {%- set from_sql = relation -%}
            {%- set label = relation | string -%}
        {%- endif -%}
    {%- endif -%}
    {%- if from_sql is not none and not contract['known'] %}
    {#- a dbt unit test: no graph, so no contract; the fixture has the API names -#}
    select
        *,
        {%- for column in bookkeeping %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        {{ crm_revenue.raw_row_number(['1'], is_file=true) }} as _raw_row_number,
        'unit test fixture' as _source_file
    from {{ from_sql }}
    {%- elif from_sql is none %}
    {#- parse time, an object outside the shape, or an optional export that is absent -#}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column | lower }},
        {%- endfor %}
        {%- for column in bookkeeping %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        cast(null as {{ dbt.type_bigint() }}) as _raw_row_number,
        cast(null as {{ dbt.type_string() }}) as _source_file
    where 1 = 0
    {%- else -%}
        {%- set present = {} -%}
        {%- set ambiguous = [] -%}
        {%- for name in run_query('select * from ' ~ from_sql ~ ' where 1 = 0').column_names -%}
            {%- set key = name | lower | replace('_', '') -%}
            {%- if key in present -%}{%- do ambiguous.append(key) -%}{%- endif -%}
            {%- do present.update({key: name}) -%}
        {%- endfor -%}
        {%- set wanted = columns | map('lower') | map('replace', '_', '') | list -%}
        {%- for candidates in bookkeeping.values() -%}
            {%- for candidate in candidates -%}
                {%- do wanted.append(candidate | replace('_', '')) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set clashes = ambiguous | select('in', wanted) | list -%}
        {%- if clashes -%}
            {{ exceptions.raise_compiler_error(
                "CRM " ~ physical_object ~ " source " ~ label ~ " has several columns that read as the same "
                ~ "contract column (" ~ clashes | join(', ') ~ "; names match ignoring case and underscores)") }}
        {%- endif -%}
        {%- set missing = [] -%}
        {%- for column in contract['must_have'] + crm_revenue.passthrough_columns(physical_object)
                if column | lower | replace('_', '') not in present -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "CRM export " ~ label ~ " lacks required column(s) " ~ missing | join(', ')
                ~ "; it has: " ~ present.values() | list | join(', ')) }}
        {%- endif -%}
        {%- set found_bookkeeping = {} -%}
        {%- for output, candidates in bookkeeping.items() -%}
            {%- for candidate in candidates
                    if candidate | replace('_', '') in present and output not in found_bookkeeping -%}
                {%- do found_bookkeeping.update({output: present[candidate | replace('_', '')]}) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if object_name == 'opportunity_version' and '_valid_from' not in found_bookkeeping -%}
            {{ exceptions.raise_compiler_error(
                "source_shape 'scd2': the opportunity versions in " ~ label ~ " need a validity interval, "
                ~ "_fivetran_start/_fivetran_end/_fivetran_active (connector history mode) or "
                ~ "dbt_valid_from/dbt_valid_to (dbt snapshot); it has: " ~ present.values() | list | join(', ')) }}
        {%- endif -%}
        {%- set order_columns = [] -%}
        {%- if '_source_synced_at' in found_bookkeeping -%}
            {%- do order_columns.append(adapter.quote(found_bookkeeping['_source_synced_at'])) -%}
        {%- endif -%}
        {%- for column in columns if column | lower | replace('_', '') in present -%}
            {%- do order_columns.append(adapter.quote(present[column | lower | replace('_', '')])) -%}
        {%- endfor %}
    select
        {%- for column in columns %}
        {%- if column | lower | replace('_', '') in present %}
        {{ crm_revenue.clean_text(adapter.quote(present[column | lower | replace('_', '')])) }} as {{ column | lower }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ column | lower }},
        {%- endif %}
        {%- endfor %}
        {%- for output in bookkeeping %}
        {%- if output in found_bookkeeping %}
        {{ crm_revenue.clean_text(adapter.quote(found_bookkeeping[output])) }} as {{ output }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ output }},
        {%- endif %}
        {%- endfor %}
        {{ crm_revenue.raw_row_number(order_columns, is_file=raw_path != '') }} as _raw_row_number,
        '{{ label | replace("'", "''") }}' as _source_file
    from {{ from_sql }}
    {%- endif -%}
{% endmacro %}
