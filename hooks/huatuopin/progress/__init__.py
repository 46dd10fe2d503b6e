"""Progress figures for the provincial office: counted from the frozen Catalog (figures),
written as tables (table) for /progress/, its CSV and XLSX, and the city's .docx report."""
