{#-
    How to read one CSV export, found from the file itself (execute time):
    - delimiter: the one of , ; tab | occurring most often in the header row (Salesforce
      API names hold none of them), so semicolon exports (Excel in many locales) read as is;
    - encoding: UTF-8 (a byte-order mark is skipped), else Latin-1 when the bytes are not
      valid UTF-8 (a Windows-1252 export: é, ü, ñ read correctly; the rare 0x80-0x9F
      punctuation of Windows-1252 reads as Latin-1 control characters), with a warning;
    - a 0-byte file stops the run naming the file (not even a header row).
    Returns {'delim': ..., 'encoding': ...}.
-#}
{% macro csv_dialect(file_path) %}
    {%- set dialect = {'delim': ',', 'encoding': 'utf-8'} -%}
    {%- if not execute -%}
        {{ return(dialect) }}
    {%- endif -%}
    {%- set quoted_path = file_path | replace("'", "''") -%}
    {%- set probe = run_query(
        "select size, try(decode(content)) is null from read_blob('" ~ quoted_path ~ "')").rows[0] -%}
    {%- if probe[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "CRM export " ~ file_path ~ " is empty (0 bytes, not even a header row). Re-export it "
            ~ "with its header row (an object with no records is a header-only file), or remove the "
            ~ "file if the object is optional.") }}
    {%- endif -%}
    {%- if probe[1] -%}
        {%- do dialect.update({'encoding': 'latin-1'}) -%}
        {%- do log("WARNING " ~ file_path ~ " is not valid UTF-8: read as Latin-1 (Windows-1252); "
            ~ "export as UTF-8 to be sure every character is kept", info=true) -%}
    {%- endif -%}
    {%- set header = run_query(
        "select line from read_csv('" ~ quoted_path ~ "', header = false, delim = chr(1), quote = '', "
        ~ "escape = '', columns = {'line': 'VARCHAR'}, encoding = '" ~ dialect['encoding'] ~ "') limit 1").rows -%}
    {%- set line = header[0][0] if header | length > 0 and header[0][0] is not none else '' -%}
    {%- set best = namespace(delim=',', count=0) -%}
    {%- for candidate in [',', ';', '\t', '|'] -%}
        {%- if line.count(candidate) > best.count -%}
            {%- set best.delim, best.count = candidate, line.count(candidate) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do dialect.update({'delim': best.delim}) -%}
    {{ return(dialect) }}
{% endmacro %}
